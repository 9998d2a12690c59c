import Foundation

/// How bad an incident is: `SEV1` (complete outage) to `SEV4` (cosmetic), as in seed 003.
///
/// Cases are declared most severe first; `Comparable` follows that order, so sorting
/// ascending puts SEV1 first ("open incidents, most severe first", issue 8).
public enum IncidentSeverity: String, Sendable, CaseIterable, Codable, Comparable {
    case sev1 = "SEV1"
    case sev2 = "SEV2"
    case sev3 = "SEV3"
    case sev4 = "SEV4"

    /// SPEC §3: the incident a `critical` alert opens, unless its service says otherwise.
    public static let defaultForCriticalAlert: IncidentSeverity = .sev2

    /// Normalises the spellings the runbooks and SPEC §3 use, ignoring case and whitespace.
    ///
    /// Accepted (all case-insensitive):
    /// - `SEV1`…`SEV4`, also written `SEV-1`, `SEV_1` or `SEV 1` (seed 003 writes `SEV-1`);
    /// - a bare `1`…`4`, read as the SEV number;
    /// - `P1`…`P4` → SEV1…SEV4 (seeds 000/001), and `P0` → SEV1 (seed 004's top level);
    /// - names: `critical` → SEV1; `high`, `major` → SEV2; `medium`, `minor` → SEV3;
    ///   `low` → SEV4 (seed 003's names plus SPEC §3's).
    ///
    /// Everything else returns nil (a 422 naming `severity`), including `0`, `5`, `P5`:
    /// guessing a severity would set the wrong SLA clock.
    public init?(parsing text: String) {
        let key = text.trimmingWhitespaceAndNewlines().lowercased()
        if let named = Self.nameAliases[key] {
            self = named
            return
        }
        guard let level = Self.level(in: key) else { return nil }
        self = level
    }

    /// Word aliases accepted by ``init(parsing:)``.
    public static let nameAliases: [String: IncidentSeverity] = [
        "critical": .sev1,
        "high": .sev2, "major": .sev2,
        "medium": .sev3, "minor": .sev3,
        "low": .sev4,
    ]

    /// SPEC §11: SEV1 and SEV2 page people through their service's escalation policy (the
    /// seeds' "P1/P2 → Page On-Call"); SEV3 and SEV4 page nobody ("create ticket").
    public var pages: Bool { self <= .sev2 }

    /// The severity number, 1 (worst) to 4.
    public var level: Int {
        switch self {
        case .sev1: 1
        case .sev2: 2
        case .sev3: 3
        case .sev4: 4
        }
    }

    /// The severity for a number 1…4, else nil.
    public init?(level: Int) {
        switch level {
        case 1: self = .sev1
        case 2: self = .sev2
        case 3: self = .sev3
        case 4: self = .sev4
        default: return nil
        }
    }

    /// Seed 003's spelling, `SEV-1`, used in the post-mortem Markdown and chat replies.
    public var hyphenated: String { "SEV-\(level)" }

    /// SEV1 and SEV2 page on-call and require a post-mortem (seed 000 workflow, seed 003 KPIs).
    public var isMajor: Bool { level <= 2 }

    public static func < (lhs: IncidentSeverity, rhs: IncidentSeverity) -> Bool { lhs.level < rhs.level }

    /// Reads `sevN`/`sev-N`/`sev_N`/`sev N`, `pN` (with `p0` meaning 1) or a bare `N`.
    private static func level(in key: String) -> IncidentSeverity? {
        var digits = Substring(key)
        var isPriority = false
        if digits.hasPrefix("sev") {
            digits = digits.dropFirst(3)
            if let first = digits.first, first == "-" || first == "_" || first == " " {
                digits = digits.dropFirst()
            }
        } else if digits.hasPrefix("p") {
            digits = digits.dropFirst()
            isPriority = true
        }
        guard digits.count == 1, let digit = digits.first?.wholeNumberValue, digits.first?.isASCII == true
        else { return nil }
        // Seed 004 numbers priorities from P0; SPEC §3 folds P0 into SEV1.
        if isPriority && digit == 0 { return .sev1 }
        return IncidentSeverity(level: digit)
    }
}
