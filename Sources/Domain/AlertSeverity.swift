import Foundation

/// How bad an alert is, as its source reports it (SPEC §3: `critical|error|warning|info`).
///
/// Cases are declared most severe first; `Comparable` follows that order, so
/// `.critical < .info` and sorting ascending lists the worst first.
public enum AlertSeverity: String, Sendable, CaseIterable, Codable, Comparable {
    case critical
    case error
    case warning
    case info

    /// SPEC §4 (`POST /alerts`): a trigger without a severity is a warning.
    public static let `default`: AlertSeverity = .warning

    /// Parses one of the four native values, ignoring case and surrounding whitespace.
    ///
    /// Returns nil for anything else, so the native API can answer 422 naming `severity`.
    /// (An absent severity is not parsed: use ``default``.)
    public init?(parsing text: String) {
        let key = text.trimmingWhitespaceAndNewlines().lowercased()
        guard let value = AlertSeverity(rawValue: key) else { return nil }
        self = value
    }

    /// Maps an Alertmanager `labels.severity` (or any free-form sender label) leniently.
    ///
    /// Alertmanager has no fixed severity vocabulary; these are the values seen in common rule
    /// sets. Unknown or missing labels become ``default`` because dropping an alert over a label
    /// spelling would be worse than mis-ranking it.
    public init(alertmanagerLabel label: String?) {
        let key = (label ?? "").trimmingWhitespaceAndNewlines().lowercased()
        self = Self.labelAliases[key] ?? .default
    }

    /// Sender labels and the severity each maps to (see ``init(alertmanagerLabel:)``).
    public static let labelAliases: [String: AlertSeverity] = [
        "critical": .critical, "crit": .critical, "page": .critical, "fatal": .critical,
        "emergency": .critical,
        "error": .error, "err": .error, "high": .error, "major": .error,
        "warning": .warning, "warn": .warning, "medium": .warning, "minor": .warning,
        "info": .info, "informational": .info, "low": .info, "none": .info,
    ]

    /// SPEC §3: only `critical` alerts open (or join) an incident.
    public var opensIncident: Bool { self == .critical }

    private var rank: Int {
        switch self {
        case .critical: 0
        case .error: 1
        case .warning: 2
        case .info: 3
        }
    }

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rank < rhs.rank }
}
