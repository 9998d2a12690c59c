import Foundation

/// The checks shared by ``NewHeartbeat`` and ``HeartbeatPatch``.
enum HeartbeatFields {
    static func name(_ value: String?, into check: inout Validator) -> String? {
        guard let name = check.required("name", value, maxLength: Heartbeat.maxNameLength) else { return nil }
        guard Heartbeat.isValidName(name) else {
            check.add("name", "must be letters, digits, '.', '_' or '-', starting with a letter or digit")
            return nil
        }
        return name
    }

    static func service(_ value: String?, into check: inout Validator) -> ServiceReference? {
        guard let text = check.required("service", value, maxLength: Service.maxNameLength) else {
            return nil
        }
        return ServiceReference(text: text)
    }

    static func interval(_ value: Int?, into check: inout Validator) -> Int? {
        guard let value else { return nil }
        guard (1...Heartbeat.maxSeconds).contains(value) else {
            check.add("interval_seconds", "must be more than 0 and at most \(Heartbeat.maxSeconds) (31 days)")
            return nil
        }
        return value
    }

    static func grace(_ value: Int, into check: inout Validator) -> Int? {
        guard (0...Heartbeat.maxSeconds).contains(value) else {
            check.add("grace_seconds", "must be 0 or more and at most \(Heartbeat.maxSeconds) (31 days)")
            return nil
        }
        return value
    }

    static func severity(_ value: String?, default defaultValue: AlertSeverity?, into check: inout Validator)
        -> AlertSeverity?
    {
        check.oneOf(
            "severity", value, allowed: AlertSeverity.allCases.map(\.rawValue), default: defaultValue
        ) { AlertSeverity(parsing: $0) }
    }
}
