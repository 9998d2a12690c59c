import Domain
import Foundation
import Postgres

/// SQL for `action_items`, the follow-ups of a post-mortem (issue 7, seed 003). Runs inside the
/// caller's transaction (ADR 0002); every change writes an entry on the incident's timeline in
/// the same transaction.
public struct ActionItemRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Adds `item` to incident `incidentID`'s post-mortem, with an `action_item_added` entry.
    /// Allowed in every post-mortem status (``PostMortemTransition/editActionItems(status:)``):
    /// follow-ups are closed long after the write-up is published. Throws `.notFound` when the
    /// incident has no post-mortem.
    public func add(_ item: NewActionItem, incidentID: Int64, actor: String, now: Date) throws
        -> ActionItemRecord
    {
        let rows = try connection.query(
            "SELECT id, status FROM postmortems WHERE incident_id = \(incidentID) FOR UPDATE")
        guard let row = rows.first else {
            throw DomainError.notFound(.postMortem, "for \(EntityRef.incident(incidentID))")
        }
        let statusText: String = try row.decode("status")
        if let status = PostMortemStatus(rawValue: statusText),
            let refusal = DomainError.from(PostMortemTransition.editActionItems(status: status))
        {
            throw refusal
        }
        let postMortemID: Int64 = try row.decode("id")
        let inserted = try connection.query(
            """
            INSERT INTO action_items AS a (postmortem_id, owner, action, due_date, status, created_at, updated_at)
            VALUES (\(postMortemID), \(item.owner), \(item.action), \(item.dueDate?.description)::date,
                    \(item.status.rawValue), \(now), \(now))
            RETURNING \(sql: Self.columns)
            """)
        let record = ActionItemRecord(item: try Self.item(inserted[0]), incidentID: incidentID)
        try PostMortemRepository(connection).recordOnIncident(
            Self.entry(.actionItemAdded, record.item, actor: actor), incidentID: incidentID, now: now)
        return record
    }

    /// Applies `patch` to action item `id` (status, owner, action, due date), with an
    /// `action_item_updated` entry when something changed. Throws `.notFound`.
    public func update(id: Int64, patch: ActionItemPatch, actor: String, now: Date) throws -> ActionItemRecord
    {
        let rows = try connection.query(
            """
            SELECT \(sql: Self.columns), p.incident_id FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
            WHERE a.id = \(id) FOR UPDATE OF a
            """)
        guard let row = rows.first else { throw DomainError.notFound(.actionItem, String(id)) }
        let current = try Self.item(row)
        let incidentID: Int64 = try row.decode("incident_id")
        var edited = current
        edited.owner = patch.owner ?? current.owner
        edited.action = patch.action ?? current.action
        edited.dueDate = patch.dueDate.map { $0.applied(to: current.dueDate) } ?? current.dueDate
        edited.status = patch.status ?? current.status
        guard edited != current else { return ActionItemRecord(item: current, incidentID: incidentID) }
        let updated = try connection.query(
            """
            UPDATE action_items a
            SET owner = \(edited.owner), action = \(edited.action), due_date = \(edited.dueDate?.description)::date,
                status = \(edited.status.rawValue), updated_at = \(now)
            WHERE a.id = \(id) RETURNING \(sql: Self.columns)
            """)
        let record = ActionItemRecord(item: try Self.item(updated[0]), incidentID: incidentID)
        try PostMortemRepository(connection).recordOnIncident(
            Self.entry(.actionItemUpdated, record.item, actor: actor), incidentID: incidentID, now: now)
        return record
    }

    /// Action item `id` with its incident, or nil.
    public func find(id: Int64) throws -> ActionItemRecord? {
        let rows = try connection.query(
            """
            SELECT \(sql: Self.columns), p.incident_id FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
            WHERE a.id = \(id)
            """)
        return try rows.first.map {
            ActionItemRecord(item: try Self.item($0), incidentID: try $0.decode("incident_id"))
        }
    }

    /// The action items of the post-mortems `postMortemIDs`, oldest first, by post-mortem id.
    func items(postMortemIDs: [Int64]) throws -> [Int64: [ActionItem]] {
        let rows = try connection.query(
            """
            SELECT \(sql: Self.columns) FROM action_items a
            WHERE a.postmortem_id = ANY(\(postMortemIDs)) ORDER BY a.postmortem_id, a.id
            """)
        return Dictionary(grouping: try rows.map(Self.item), by: \.postMortemID)
    }

    /// A timeline entry about `item`; `data` carries its id, owner, status and due date.
    static func entry(_ kind: TimelineEntryKind, _ item: ActionItem, actor: String) -> NewTimelineEntry {
        let verb = kind == .actionItemAdded ? "added" : "updated"
        let due = item.dueDate.map { " (due \($0))" } ?? ""
        return NewTimelineEntry(
            kind: kind, actor: actor, body: "Action item \(verb): \(item.owner) - \(item.action)\(due)",
            data: [
                "action_item_id": .integer(item.id), "owner": .string(item.owner),
                "status": .string(item.status.rawValue),
                "due_date": item.dueDate.map { .string($0.description) } ?? .null,
            ])
    }

    /// Columns of `action_items a`.
    static let columns: StaticString = """
        a.id, a.postmortem_id, a.owner, a.action, a.due_date::text AS due_date, a.status, a.created_at,
        a.updated_at
        """

    /// Decodes a row selected with ``columns``.
    static func item(_ row: PostgresRow) throws -> ActionItem {
        let statusText: String = try row.decode("status")
        guard let status = ActionItemStatus(rawValue: statusText) else {
            throw PostgresError(
                .decoding, message: "unknown action item status \(statusText)", column: "status")
        }
        let dueText: String? = try row.decode("due_date")
        var dueDate: CalendarDate?
        if let dueText {
            guard let parsed = CalendarDate(parsing: dueText) else {
                throw PostgresError(.decoding, message: "unreadable date \(dueText)", column: "due_date")
            }
            dueDate = parsed
        }
        return ActionItem(
            id: try row.decode("id"), postMortemID: try row.decode("postmortem_id"),
            owner: try row.decode("owner"),
            action: try row.decode("action"), dueDate: dueDate, status: status,
            createdAt: try row.decode("created_at"),
            updatedAt: try row.decode("updated_at"))
    }
}
