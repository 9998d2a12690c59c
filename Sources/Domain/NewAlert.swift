import Foundation

/// A validated alert trigger (`POST /alerts`, and the compat adapters after mapping).
public struct NewAlert: Sendable, Hashable {
    public let service: String
    public let source: String
    public let summary: String
    public let severity: AlertSeverity
    /// The sender's dedup key, or one derived from the content (see ``derivedDedupKey``).
    public let dedupKey: String
    /// True when ``dedupKey`` was derived, so the response can say which key it used.
    public let dedupKeyWasDerived: Bool
    public let details: [String: JSONValue]
    public let links: [AlertLink]

    /// Validates a decoded trigger. Field names in issues are the JSON names: `service`,
    /// `source`, `summary`, `severity`, `dedup_key`, `details`, `links[i].href`, ...
    ///
    /// - `summary` and `source` are required (issue 5); `summary` may span lines (Alertmanager
    ///   annotations often do), the others are single lines.
    /// - `severity` is one of `critical|error|warning|info`, any case; absent means warning.
    /// - `details`, when present, must be a JSON object without U+0000 (jsonb refuses it).
    public static func validate(
        service: String?, source: String?, summary: String?, severity: String?, dedupKey: String?,
        details: JSONValue?, links: [AlertLink]?
    ) throws(ValidationError) -> NewAlert {
        var check = Validator()
        let service = Service.checkName("service", service, into: &check)
        let source = check.required("source", source, maxLength: Alert.maxSourceLength)
        let summary = check.required("summary", summary, maxLength: Alert.maxSummaryLength, singleLine: false)
        let severity = check.oneOf(
            "severity", severity, allowed: AlertSeverity.allCases.map(\.rawValue),
            default: AlertSeverity.default
        ) { AlertSeverity(parsing: $0) }
        let givenKey = check.optional(
            "dedup_key", dedupKey, maxLength: Alert.maxDedupKeyLength, singleLine: true)
        let details = checkDetails(details, into: &check)
        let links = checkLinks(links ?? [], into: &check)
        guard check.isValid, let service, let source, let summary, let severity else { throw check.error }
        return NewAlert(
            service: service, source: source, summary: summary, severity: severity,
            dedupKey: givenKey ?? derivedDedupKey(service: service, source: source, summary: summary),
            dedupKeyWasDerived: givenKey == nil, details: details, links: links)
    }

    /// The dedup key for a trigger that brought none (SPEC §3: derived and returned).
    ///
    /// Derived from the content, so a script that fires the same alert every minute without a
    /// key still gets one open alert: `auto-` and 32 hex digits of two FNV-1a-64 hashes of
    /// service, source and summary. Not a security boundary: any sender may choose any key.
    public static func derivedDedupKey(service: String, source: String, summary: String) -> String {
        // Unit separator (U+001F) cannot occur in the single-line fields, so fields never run
        // together ambiguously ("ab"+"c" vs "a"+"bc").
        let bytes = Array([service, source, summary].joined(separator: "\u{1F}").utf8)
        let first = fnv1a64(bytes, basis: 0xcbf2_9ce4_8422_2325)
        let second = fnv1a64(bytes.reversed(), basis: 0x8422_2325_cbf2_9ce4)
        return "auto-" + hex(first) + hex(second)
    }

    private static func fnv1a64<Bytes: Sequence<UInt8>>(_ bytes: Bytes, basis: UInt64) -> UInt64 {
        var hash = basis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func checkDetails(_ details: JSONValue?, into check: inout Validator) -> [String:
        JSONValue]
    {
        guard let details, details != .null else { return [:] }
        guard let object = details.objectValue else {
            check.add("details", "must be a JSON object")
            return [:]
        }
        check.check(!details.containsNUL, "details", "must not contain NUL characters")
        return object
    }

    private static func checkLinks(_ links: [AlertLink], into check: inout Validator) -> [AlertLink] {
        guard check.check(links.count <= Alert.maxLinks, "links", "must have at most \(Alert.maxLinks) items")
        else { return [] }
        return links.enumerated().compactMap { index, link in
            AlertLink.check(link, index: index, into: &check)
        }
    }
}
