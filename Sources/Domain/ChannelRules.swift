import Foundation

/// The rules a channel's settings follow (SPEC §9), shared by create and PATCH, each check
/// recording a ``FieldIssue`` naming the field (`url`, `to[1]`, `events[0]`, ...).
public enum ChannelRules {
    public static let maxNameLength = 100  // 422 beyond
    public static let maxURLLength = 2048  // 422 beyond
    public static let maxRecipients = 50  // 422 beyond
    public static let maxAddressLength = 254  // RFC 5321 §4.5.3.1.3 path limit; 422 beyond
    public static let maxFilters = 100  // event filters or services per channel; 422 beyond

    /// An absolute `http`/`https` URL with a host; nil (with an issue) otherwise.
    public static func url(_ field: String, _ value: String?, into check: inout Validator) -> String? {
        guard let text = check.required(field, value, maxLength: maxURLLength) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else {
            check.add(field, "must be an absolute http or https URL")
            return nil
        }
        return text
    }

    /// Mail addresses (`to`: one or a list); nil (with issues naming `to[i]`) when any is bad.
    public static func recipients(_ values: [String]?, into check: inout Validator) -> [String]? {
        guard let values, !values.isEmpty else {
            check.add("to", "is required for an email channel: one address or a list")
            return nil
        }
        guard check.check(values.count <= maxRecipients, "to", "must have at most \(maxRecipients) addresses")
        else { return nil }
        var addresses: [String] = []
        var valid = true
        for (index, raw) in values.enumerated() {
            let text = raw.trimmingWhitespaceAndNewlines()
            if isAddress(text) {
                if !addresses.contains(text) { addresses.append(text) }
            } else {
                check.add("to[\(index)]", "must be a mail address such as oncall@example.com")
                valid = false
            }
        }
        return valid ? addresses : nil
    }

    /// `local@domain` with a dot-separated domain of letters, digits and hyphens, and a local
    /// part without spaces, controls or the characters RFC 5322 reserves.
    public static func isAddress(_ text: String) -> Bool {
        guard text.utf8.count <= maxAddressLength, let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard !local.isEmpty, local.count <= 64, !domain.isEmpty else { return false }
        let forbidden = Set(" <>()[],;:\"@\\")
        guard local.allSatisfy({ $0.isASCII && !forbidden.contains($0) && !($0.asciiValue! < 0x21) }) else {
            return false
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// Event filters (a type, `family.*` or `*`); `defaultValue` when absent; issues name
    /// `events[i]`.
    public static func events(
        _ values: [String]?, default defaultValue: [String]?, into check: inout Validator
    )
        -> [String]?
    {
        guard let values else { return defaultValue }
        guard check.check(!values.isEmpty, "events", "must name at least one event type"),
            check.check(values.count <= maxFilters, "events", "must have at most \(maxFilters) items")
        else { return nil }
        var filters: [String] = []
        for (index, raw) in values.enumerated() {
            let filter = raw.trimmingWhitespaceAndNewlines()
            if EventType.isValidFilter(filter) {
                if !filters.contains(filter) { filters.append(filter) }
            } else {
                let known = EventType.allCases.map(\.rawValue).joined(separator: ", ")
                check.add(
                    "events[\(index)]", "\(raw) is not an event type; use one of \(known), family.* or *")
            }
        }
        return filters
    }

    /// Service references (names or ids, resolved against the database later); issues name
    /// `services[i]` for blank ones.
    public static func services(_ values: [String]?, into check: inout Validator) -> [String]? {
        guard let values else { return nil }
        guard check.check(values.count <= maxFilters, "services", "must have at most \(maxFilters) items")
        else { return nil }
        var references: [String] = []
        for (index, raw) in values.enumerated() {
            if let text = Validator.trimmed(raw) {
                if !references.contains(text) { references.append(text) }
            } else {
                check.add("services[\(index)]", "must be a service name or id")
            }
        }
        return references
    }

    /// `min_severity` as any spelling ``IncidentSeverity/init(parsing:)`` accepts.
    public static func minSeverity(
        _ value: String?, default defaultValue: IncidentSeverity?, into check: inout Validator
    )
        -> IncidentSeverity?
    {
        check.oneOf(
            "min_severity", value, allowed: IncidentSeverity.allCases.map(\.rawValue), default: defaultValue
        ) { IncidentSeverity(parsing: $0) }
    }
}
