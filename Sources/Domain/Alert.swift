import Foundation

/// One problem signal from a source (SPEC §3). Open alerts are unique per (service, dedup_key).
public struct Alert: Sendable, Hashable {
    public var id: Int64
    /// The service's name.
    public var service: String
    public var source: String
    public var summary: String
    public var severity: AlertSeverity
    public var status: AlertStatus
    public var dedupKey: String
    /// How many triggers this alert has absorbed (1 for a fresh alert).
    public var eventCount: Int
    public var details: [String: JSONValue]
    public var links: [AlertLink]
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var resolution: String?
    /// The incident it is grouped into, if any.
    public var incidentID: Int64?
    /// Moves on every change; the `since=` change feed reads it.
    public var updatedAt: Date
    /// The maintenance window (its id, `MW-<id>`) whose period covered the alert's service when
    /// it triggered (SPEC §12); kept after the window ends, as the record of it.
    public var suppressedBy: Int64?
    /// When the suppression ended (the window ended, or a trigger came after it); nil while the
    /// alert is suppressed or was never.
    public var suppressionEndedAt: Date?

    // Limits (issue 5, matching PagerDuty's and the CHECKs in migrations/0002).
    /// Longest summary, in characters.
    public static let maxSummaryLength = 1024
    /// Longest source, in characters.
    public static let maxSourceLength = 255
    /// Longest dedup key, in characters.
    public static let maxDedupKeyLength = 255
    /// Most links on one alert.
    public static let maxLinks = 50
    /// Longest resolution text, in characters.
    public static let maxResolutionLength = TimelineEntry.maxBodyLength

    /// `ALR-<id>`.
    public var ref: EntityRef { .alert(id) }

    /// Whether a maintenance window holds the alert back now: it opens and joins no incident
    /// (so nobody is paged) until the window ends (SPEC §12).
    public var isSuppressed: Bool { suppressedBy != nil && suppressionEndedAt == nil }

    public init(
        id: Int64, service: String, source: String, summary: String, severity: AlertSeverity,
        status: AlertStatus = .triggered, dedupKey: String, eventCount: Int = 1,
        details: [String: JSONValue] = [:], links: [AlertLink] = [], firstSeenAt: Date, lastSeenAt: Date,
        acknowledgedAt: Date? = nil, acknowledgedBy: String? = nil, resolvedAt: Date? = nil,
        resolvedBy: String? = nil, resolution: String? = nil, incidentID: Int64? = nil, updatedAt: Date,
        suppressedBy: Int64? = nil, suppressionEndedAt: Date? = nil
    ) {
        self.id = id
        self.service = service
        self.source = source
        self.summary = summary
        self.severity = severity
        self.status = status
        self.dedupKey = dedupKey
        self.eventCount = eventCount
        self.details = details
        self.links = links
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
        self.incidentID = incidentID
        self.updatedAt = updatedAt
        self.suppressedBy = suppressedBy
        self.suppressionEndedAt = suppressionEndedAt
    }
}
