import Foundation

/// Response deadlines: how long after detection an incident must be acknowledged, and when
/// its post-mortem is due. Defaults from seed 003's severity table ("Response Time") and SPEC §3;
/// every value is configurable.
public struct SLAPolicy: Sendable, Hashable {
    /// Seconds from detection to the acknowledgement deadline, per severity.
    public var ackWindows: [IncidentSeverity: TimeInterval]
    /// Seconds from resolution to the post-mortem deadline (seed 000: "Schedule post-mortem
    /// within 48 hours").
    public var postMortemWindow: TimeInterval
    /// Severities that require a post-mortem (seed 003: completion 100 % for SEV-1/2).
    public var postMortemSeverities: Set<IncidentSeverity>

    /// SPEC §3 defaults: SEV1 15 min, SEV2 30 min, SEV3 4 h, SEV4 24 h.
    public static let defaultAckWindows: [IncidentSeverity: TimeInterval] = [
        .sev1: 15 * 60, .sev2: 30 * 60, .sev3: 4 * 3600, .sev4: 24 * 3600,
    ]

    /// The policy with SPEC §3's defaults.
    public static let standard = SLAPolicy()

    /// A policy; windows not given keep their defaults.
    public init(
        ackWindows: [IncidentSeverity: TimeInterval] = [:], postMortemWindow: TimeInterval = 48 * 3600,
        postMortemSeverities: Set<IncidentSeverity> = [.sev1, .sev2]
    ) {
        self.ackWindows = Self.defaultAckWindows.merging(ackWindows) { _, configured in configured }
        self.postMortemWindow = postMortemWindow
        self.postMortemSeverities = postMortemSeverities
    }

    /// Seconds allowed between detection and acknowledgement for `severity`.
    public func ackWindow(for severity: IncidentSeverity) -> TimeInterval {
        // Invariant: init merges over defaultAckWindows, which has every severity; the fallback
        // only guards against a caller emptying the public dictionary afterwards.
        ackWindows[severity] ?? Self.defaultAckWindows[severity] ?? 0
    }

    /// When an incident detected at `detectedAt` must be acknowledged (`ack_due_at`).
    /// Recompute on severity change (issue 6).
    public func ackDue(detectedAt: Date, severity: IncidentSeverity) -> Date {
        detectedAt.addingTimeInterval(ackWindow(for: severity))
    }

    /// Whether the acknowledgement deadline was missed.
    ///
    /// Measured at the acknowledgement when there is one, else at the resolution, else at
    /// `now`: an incident resolved in time without an explicit ack did not breach. The
    /// deadline itself is still in time (breach means strictly later).
    public func isBreached(ackDueAt: Date, acknowledgedAt: Date?, resolvedAt: Date? = nil, now: Date) -> Bool
    {
        (acknowledgedAt ?? resolvedAt ?? now) > ackDueAt
    }

    /// Whether incidents of `severity` need a post-mortem.
    public func requiresPostMortem(_ severity: IncidentSeverity) -> Bool {
        postMortemSeverities.contains(severity)
    }

    /// When the post-mortem of an incident resolved at `resolvedAt` is due; nil when its
    /// severity does not require one (SPEC §3: due 48 h after resolution for SEV1/SEV2).
    public func postMortemDue(resolvedAt: Date, severity: IncidentSeverity) -> Date? {
        requiresPostMortem(severity) ? resolvedAt.addingTimeInterval(postMortemWindow) : nil
    }

    /// Reads a configured duration: a whole number with a unit `s`, `m`, `h` or `d`
    /// (`90s`, `15m`, `4h`, `1d`), or bare seconds (`900`). Nil for anything else or zero.
    public static func parseDuration(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var number = Substring(trimmed)
        var unit: TimeInterval = 1
        if let last = trimmed.last, let multiplier = units[last] {
            number = number.dropLast()
            unit = multiplier
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), number.count <= 9,
            let value = Int(number), value > 0
        else { return nil }
        return TimeInterval(value) * unit
    }
}
