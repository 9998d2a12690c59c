import Foundation

/// The write-up of one incident, following seed 003's post-mortem template (SPEC §3).
///
/// The summary facts (date, duration, severity) and key moments are pre-filled by
/// ``draft(for:timeline:policy:)`` when the draft is created; the prose is written later
/// through ``PostMortemPatch``.
public struct PostMortem: Sendable, Hashable {
    public var id: Int64
    public var incidentID: Int64
    public var status: PostMortemStatus

    // Summary (seed 003: Date, Duration, Severity, Impact).
    /// The UTC day the incident was detected.
    public var date: CalendarDate
    /// Detection to resolution, in minutes; nil if the incident was unresolved at drafting.
    public var durationMinutes: Int?
    public var severity: IncidentSeverity
    public var impact: String?
    /// A short narrative shown under the summary facts.
    public var summary: String?

    public var keyMoments: KeyMoments
    public var rootCause: String?
    public var lessons: Lessons
    public var prevention: String?
    public var actionItems: [ActionItem]

    /// When it is due (48 h after resolution for SEV1/SEV2); nil when not required.
    public var dueAt: Date?
    public var publishedAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// Longest text field (summary, impact, root cause, each lesson, prevention), in characters.
    public static let maxTextLength = 20_000

    public init(
        id: Int64, incidentID: Int64, status: PostMortemStatus = .draft, date: CalendarDate,
        durationMinutes: Int?, severity: IncidentSeverity, impact: String? = nil, summary: String? = nil,
        keyMoments: KeyMoments, rootCause: String? = nil, lessons: Lessons = Lessons(),
        prevention: String? = nil,
        actionItems: [ActionItem] = [], dueAt: Date?, publishedAt: Date? = nil, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.incidentID = incidentID
        self.status = status
        self.date = date
        self.durationMinutes = durationMinutes
        self.severity = severity
        self.impact = impact
        self.summary = summary
        self.keyMoments = keyMoments
        self.rootCause = rootCause
        self.lessons = lessons
        self.prevention = prevention
        self.actionItems = actionItems
        self.dueAt = dueAt
        self.publishedAt = publishedAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether the post-mortem is late: due, passed, and not yet published.
    public func isOverdue(now: Date) -> Bool {
        guard status != .published, let dueAt else { return false }
        return now > dueAt
    }
}

/// The pre-filled content of a new post-mortem draft (issue 7), before the repository gives
/// it an id.
public struct PostMortemDraft: Sendable, Hashable {
    public let incidentID: Int64
    public let date: CalendarDate
    public let durationMinutes: Int?
    public let severity: IncidentSeverity
    /// Copied from the incident; editable afterwards.
    public let impact: String?
    /// Copied from the incident's summary; editable afterwards.
    public let summary: String?
    public let keyMoments: KeyMoments
    public let dueAt: Date?
}

extension PostMortem {
    /// Pre-fills a draft from a resolved (or, with `force`, open) incident and its timeline:
    /// date and duration (detection → resolution), severity, impact, key moments, due date.
    public static func draft(
        for incident: Incident, timeline: [TimelineEntry], policy: SLAPolicy = .standard
    ) -> PostMortemDraft {
        PostMortemDraft(
            incidentID: incident.id, date: CalendarDate(incident.detectedAt),
            durationMinutes: incident.durationMinutes, severity: incident.severity, impact: incident.impact,
            summary: incident.summary, keyMoments: KeyMoments.derive(incident: incident, timeline: timeline),
            dueAt: incident.resolvedAt.flatMap {
                policy.postMortemDue(resolvedAt: $0, severity: incident.severity)
            })
    }
}
