import Domain
import Foundation
import Repositories

/// An action item as the API shows it (seed 003: owner, action, due date, status). `overdue`
/// is open with a due date before today (UTC).
struct ActionItemDTO: Encodable {
    let item: ActionItem
    /// The incident whose post-mortem holds the item; nil inside a post-mortem's own list.
    let incidentID: Int64?
    let today: CalendarDate

    init(_ item: ActionItem, incidentID: Int64? = nil, now: Date) {
        self.item = item
        self.incidentID = incidentID
        self.today = CalendarDate(now)
    }

    init(_ record: ActionItemRecord, now: Date) {
        self.init(record.item, incidentID: record.incidentID, now: now)
    }

    enum CodingKeys: String, CodingKey {
        case id, owner, action, status, overdue, incident
        case postMortemID = "postmortem_id"
        case incidentID = "incident_id"
        case dueDate = "due_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item.id, forKey: .id)
        try container.encode(item.postMortemID, forKey: .postMortemID)
        if let incidentID {
            try container.encode(incidentID, forKey: .incidentID)
            try container.encode(EntityRef.incident(incidentID).description, forKey: .incident)
        }
        try container.encode(item.owner, forKey: .owner)
        try container.encode(item.action, forKey: .action)
        // Absent values are explicit nulls, so clients always see every field.
        try container.encode(item.dueDate, forKey: .dueDate)
        try container.encode(item.status.rawValue, forKey: .status)
        try container.encode(item.isOverdue(today: today), forKey: .overdue)
        try container.encode(item.createdAt, forKey: .createdAt)
        try container.encode(item.updatedAt, forKey: .updatedAt)
    }
}

/// `POST /incidents/{id}/postmortem/action-items` and `PATCH /action-items/{id}` bodies.
struct ActionItemBody: Decodable {
    let owner: String?
    let action: String?
    let dueDate: String?
    let status: String?

    enum CodingKeys: String, CodingKey {
        case owner, action, status
        case dueDate = "due_date"
    }
}
