import Foundation

/// A validated `POST /incidents` body.
public struct NewIncident: Sendable, Hashable {
    public let title: String
    public let severity: IncidentSeverity
    public let summary: String?
    public let impact: String?
    public let commander: String?
    /// Distinct service names, in the order given.
    public let services: [String]
    /// Distinct alert ids to attach, in the order given.
    public let alertIDs: [Int64]
    public let startedAt: Date
    public let detectedAt: Date

    /// The channel name, from the title and the detection day (seed 004).
    public var channel: String { IncidentChannel.name(title: title, date: detectedAt) }

    /// Validates a decoded body against the clock reading `now`.
    ///
    /// - `title` (single line) and `severity` (any alias of ``IncidentSeverity/init(parsing:)``)
    ///   are required: the severity sets the SLA clock, so it is never guessed.
    /// - `alert_ids` entries are numbers or `ALR-<n>` refs, as strings (`"7"`, `"ALR-7"`).
    /// - `detected_at` defaults to `now`, `started_at` to `detected_at`; they must satisfy
    ///   `started_at ≤ detected_at ≤ now` (plus ``Validator/allowedClockSkew``).
    public static func validate(
        title: String?, severity: String?, summary: String?, impact: String?, commander: String?,
        services: [String]?, alertIDs: [String]?, startedAt: Date?, detectedAt: Date?, now: Date
    ) throws(ValidationError) -> NewIncident {
        var check = Validator()
        let title = check.required("title", title, maxLength: Incident.maxTitleLength)
        let severity = check.oneOf("severity", severity, allowed: Self.severityInputs) {
            IncidentSeverity(parsing: $0)
        }
        let summary = check.optional("summary", summary, maxLength: Incident.maxTextLength)
        let impact = check.optional("impact", impact, maxLength: Incident.maxTextLength)
        let commander = check.optional(
            "commander", commander, maxLength: Incident.maxCommanderLength, singleLine: true)
        let services = checkServices(services ?? [], into: &check)
        let alertIDs = checkAlertIDs(alertIDs ?? [], into: &check)
        let detected = check.notInFuture("detected_at", detectedAt, now: now) ?? now
        let started = check.notInFuture("started_at", startedAt, now: now) ?? detected
        check.check(started <= detected, "started_at", "must not be later than detected_at")
        guard check.isValid, let title, let severity else { throw check.error }
        return NewIncident(
            title: title, severity: severity, summary: summary, impact: impact, commander: commander,
            services: services, alertIDs: alertIDs, startedAt: started, detectedAt: detected)
    }

    /// The severity spellings listed in error messages.
    static let severityInputs =
        ["SEV1", "SEV2", "SEV3", "SEV4", "P0", "P1", "P2", "P3", "P4"]
        + ["critical", "high", "medium", "low"]

    /// Checks `services[i]` names; returns the distinct valid ones.
    static func checkServices(_ services: [String], into check: inout Validator) -> [String] {
        guard
            check.check(
                services.count <= Incident.maxServices, "services",
                "must have at most \(Incident.maxServices) items")
        else { return [] }
        var names: [String] = []
        for (index, raw) in services.enumerated() {
            if let name = Service.checkName("services[\(index)]", raw, into: &check), !names.contains(name) {
                names.append(name)
            }
        }
        return names
    }

    /// Checks `alert_ids[i]` refs; returns the distinct valid ids.
    static func checkAlertIDs(_ refs: [String], into check: inout Validator) -> [Int64] {
        guard
            check.check(
                refs.count <= Incident.maxAlertIDsPerRequest, "alert_ids",
                "must have at most \(Incident.maxAlertIDsPerRequest) items")
        else { return [] }
        var ids: [Int64] = []
        for (index, raw) in refs.enumerated() {
            do {
                let ref = try EntityRef.parse(raw, expecting: .alert)
                if !ids.contains(ref.id) { ids.append(ref.id) }
            } catch {
                check.add("alert_ids[\(index)]", error.description)
            }
        }
        return ids
    }
}
