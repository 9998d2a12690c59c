import Domain
import Foundation
import Repositories

/// A post-mortem as the API shows it: seed 003's template as JSON (summary facts, key
/// moments, root cause, lessons, action items, prevention) plus status and due date.
struct PostMortemDTO: Encodable {
    let record: PostMortemRecord
    let now: Date

    init(_ record: PostMortemRecord, now: Date) {
        self.record = record
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case id, incident, status, date, severity, impact, summary, lessons, prevention, overdue
        case incidentID = "incident_id"
        case incidentTitle = "incident_title"
        case durationMinutes = "duration_minutes"
        case keyMoments = "key_moments"
        case rootCause = "root_cause"
        case actionItems = "action_items"
        case dueAt = "due_at"
        case publishedAt = "published_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    enum MomentKeys: String, CodingKey {
        case detection
        case responseInitiated = "response_initiated"
        case rootCauseIdentified = "root_cause_identified"
        case mitigationApplied = "mitigation_applied"
        case resolutionConfirmed = "resolution_confirmed"
    }

    enum LessonKeys: String, CodingKey {
        case wentWell = "went_well"
        case wentWrong = "went_wrong"
        case gotLucky = "got_lucky"
    }

    func encode(to encoder: any Encoder) throws {
        let postMortem = record.postMortem
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(postMortem.id, forKey: .id)
        try container.encode(postMortem.incidentID, forKey: .incidentID)
        try container.encode(EntityRef.incident(postMortem.incidentID).description, forKey: .incident)
        try container.encode(record.incidentTitle, forKey: .incidentTitle)
        try container.encode(postMortem.status.rawValue, forKey: .status)
        // Absent values are explicit nulls, so clients see every section of the template.
        try container.encode(postMortem.date, forKey: .date)
        try container.encode(postMortem.durationMinutes, forKey: .durationMinutes)
        try container.encode(postMortem.severity.rawValue, forKey: .severity)
        try container.encode(postMortem.impact, forKey: .impact)
        try container.encode(postMortem.summary, forKey: .summary)
        var moments = container.nestedContainer(keyedBy: MomentKeys.self, forKey: .keyMoments)
        let keyMoments = postMortem.keyMoments
        try moments.encode(keyMoments.detection, forKey: .detection)
        try moments.encode(keyMoments.responseInitiated, forKey: .responseInitiated)
        try moments.encode(keyMoments.rootCauseIdentified, forKey: .rootCauseIdentified)
        try moments.encode(keyMoments.mitigationApplied, forKey: .mitigationApplied)
        try moments.encode(keyMoments.resolutionConfirmed, forKey: .resolutionConfirmed)
        try container.encode(postMortem.rootCause, forKey: .rootCause)
        var lessons = container.nestedContainer(keyedBy: LessonKeys.self, forKey: .lessons)
        try lessons.encode(postMortem.lessons.wentWell, forKey: .wentWell)
        try lessons.encode(postMortem.lessons.wentWrong, forKey: .wentWrong)
        try lessons.encode(postMortem.lessons.gotLucky, forKey: .gotLucky)
        try container.encode(postMortem.prevention, forKey: .prevention)
        try container.encode(postMortem.actionItems.map { ActionItemDTO($0, now: now) }, forKey: .actionItems)
        try container.encode(postMortem.dueAt, forKey: .dueAt)
        try container.encode(postMortem.isOverdue(now: now), forKey: .overdue)
        try container.encode(postMortem.publishedAt, forKey: .publishedAt)
        try container.encode(postMortem.createdAt, forKey: .createdAt)
        try container.encode(postMortem.updatedAt, forKey: .updatedAt)
    }
}

/// `POST /incidents/{id}/postmortem` body (optional): `{"force": true}` drafts one for an
/// incident that is not resolved yet.
struct PostMortemCreateBody: Decodable {
    let force: Bool?
}

/// `PATCH /incidents/{id}/postmortem` body: text fields, `lessons` per field, and `status`.
struct PostMortemPatchBody: Decodable {
    let summary: String?
    let impact: String?
    let rootCause: String?
    let lessons: Lessons?
    let prevention: String?
    let status: String?

    enum CodingKeys: String, CodingKey {
        case summary, impact, lessons, prevention, status
        case rootCause = "root_cause"
    }
}
