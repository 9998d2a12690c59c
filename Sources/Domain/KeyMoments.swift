import Foundation

/// The five moments of seed 003's post-mortem "Timeline", derived from an incident and its
/// timeline entries. Encoded with snake_case JSON names (`response_initiated`, ...).
public struct KeyMoments: Sendable, Hashable, Codable {
    /// The incident's `detected_at`.
    public var detection: Date?
    /// The first acknowledgement (of the incident, or of one of its alerts).
    public var responseInitiated: Date?
    /// The first status change to `identified`.
    public var rootCauseIdentified: Date?
    /// `mitigated_at`, or the first status change to `monitoring`, whichever is earlier.
    public var mitigationApplied: Date?
    /// The incident's `resolved_at` (else the first resolution entry).
    public var resolutionConfirmed: Date?

    public init(
        detection: Date? = nil, responseInitiated: Date? = nil, rootCauseIdentified: Date? = nil,
        mitigationApplied: Date? = nil, resolutionConfirmed: Date? = nil
    ) {
        self.detection = detection
        self.responseInitiated = responseInitiated
        self.rootCauseIdentified = rootCauseIdentified
        self.mitigationApplied = mitigationApplied
        self.resolutionConfirmed = resolutionConfirmed
    }

    enum CodingKeys: String, CodingKey {
        case detection
        case responseInitiated = "response_initiated"
        case rootCauseIdentified = "root_cause_identified"
        case mitigationApplied = "mitigation_applied"
        case resolutionConfirmed = "resolution_confirmed"
    }

    /// The moments with seed 003's labels, in the template's order.
    public var labelled: [(label: String, date: Date?)] {
        [
            ("Detection", detection), ("Response initiated", responseInitiated),
            ("Root cause identified", rootCauseIdentified), ("Mitigation applied", mitigationApplied),
            ("Resolution confirmed", resolutionConfirmed),
        ]
    }

    /// Derives the moments from `incident` and its `timeline` (any order; `occurred_at` counts,
    /// so back-dated entries land where they happened). Moments never recorded stay nil, e.g.
    /// root cause when the status skipped `identified`.
    public static func derive(incident: Incident, timeline: [TimelineEntry]) -> KeyMoments {
        func earliest(_ dates: [Date?]) -> Date? { dates.compactMap { $0 }.min() }
        func firstEntry(_ matches: (TimelineEntry) -> Bool) -> Date? {
            timeline.filter(matches).map(\.occurredAt).min()
        }
        let acknowledged = firstEntry { $0.kind == .acknowledged || $0.kind == .alertAcknowledged }
        let identified = firstEntry { $0.statusChangedTo == .identified }
        let monitoring = firstEntry { $0.statusChangedTo == .monitoring }
        let resolvedEntry = firstEntry { $0.kind == .resolved || $0.statusChangedTo == .resolved }
        return KeyMoments(
            detection: incident.detectedAt,
            responseInitiated: earliest([incident.acknowledgedAt, acknowledged]),
            rootCauseIdentified: identified,
            mitigationApplied: earliest([incident.mitigatedAt, monitoring]),
            resolutionConfirmed: incident.resolvedAt ?? resolvedEntry)
    }
}
