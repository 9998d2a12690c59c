import Foundation

/// Where an alert is in its life (SPEC §3): `triggered → acknowledged → resolved`, or straight
/// from `triggered` to `resolved`. ``AlertTransition`` holds the rules.
public enum AlertStatus: String, Sendable, CaseIterable, Codable {
    case triggered
    case acknowledged
    case resolved

    /// Parses a status filter or input, ignoring case and surrounding whitespace.
    public init?(parsing text: String) {
        guard let value = AlertStatus(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
        else { return nil }
        self = value
    }

    /// Open means not resolved: the dedup index covers exactly these (SPEC §3).
    public var isOpen: Bool { self != .resolved }
}
