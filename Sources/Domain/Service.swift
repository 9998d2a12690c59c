import Foundation

/// What alerts are about (`api`, `database`, `payments`); SPEC §3.
public struct Service: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var description: String
    /// The severity of the incident a critical alert opens for this service (SPEC §3).
    public var criticalAlertIncidentSeverity: IncidentSeverity
    public var createdAt: Date

    /// Longest service name, in characters (CHECK `services_name_length`).
    public static let maxNameLength = 100
    /// Longest description, in characters.
    public static let maxDescriptionLength = 1000

    public init(
        id: Int64, name: String, description: String = "",
        criticalAlertIncidentSeverity: IncidentSeverity = .defaultForCriticalAlert, createdAt: Date
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.criticalAlertIncidentSeverity = criticalAlertIncidentSeverity
        self.createdAt = createdAt
    }

    /// Whether `name` may name a service: ASCII letters, digits, `.`, `_`, `-`, starting with
    /// a letter or digit. Names appear in URLs, filters and chat, so no spaces or slashes.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isNameScalar(first), first != ".", first != "_",
            first != "-"
        else { return false }
        return name.unicodeScalars.count <= maxNameLength && name.unicodeScalars.allSatisfy(isNameScalar)
    }

    /// Checks a service-name field into `check`; returns the name when valid.
    static func checkName(_ field: String, _ value: String?, into check: inout Validator) -> String? {
        guard let name = check.required(field, value, maxLength: maxNameLength) else { return nil }
        guard isValidName(name) else {
            check.add(field, "must be letters, digits, '.', '_' or '-', starting with a letter or digit")
            return nil
        }
        return name
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}

/// A validated `POST /services` body.
public struct NewService: Sendable, Hashable {
    public let name: String
    public let description: String
    public let criticalAlertIncidentSeverity: IncidentSeverity

    /// Validates the decoded fields `name`, `description`, `critical_alert_incident_severity`.
    public static func validate(
        name: String?, description: String?, criticalAlertIncidentSeverity: String?
    ) throws(ValidationError) -> NewService {
        var check = Validator()
        let name = Service.checkName("name", name, into: &check)
        let description = check.optional("description", description, maxLength: Service.maxDescriptionLength)
        let severity = check.oneOf(
            "critical_alert_incident_severity", criticalAlertIncidentSeverity,
            allowed: IncidentSeverity.allCases.map(\.rawValue),
            default: IncidentSeverity.defaultForCriticalAlert
        ) { IncidentSeverity(parsing: $0) }
        guard check.isValid, let name, let severity else { throw check.error }
        return NewService(name: name, description: description ?? "", criticalAlertIncidentSeverity: severity)
    }
}
