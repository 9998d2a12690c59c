import Domain
import Foundation
import Postgres

extension ActionItemRepository {
    /// Action items matching `filter`, oldest first, `limit` per page after the page `cursor`
    /// ended. Overdue means open with a due date before `today` (an item due today is not late
    /// yet), answered from the partial index `action_items_open_due`. Throws a validation error
    /// naming `cursor` when it is not an action-items cursor.
    public func list(
        _ filter: ActionItemListFilter, today: CalendarDate, limit: Int, cursor: String?
    ) throws -> RepositoryPage<ActionItemRecord> {
        var query: PostgresQuery = """
            SELECT \(sql: Self.columns), p.incident_id FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
            WHERE true
            """
        if let cursor {
            guard let lastID = ActionItemCursor.decode(cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND a.id > \(lastID)")
        }
        if let owner = filter.owner { query.append(" AND a.owner = \(owner)") }
        if let status = filter.status { query.append(" AND a.status = \(status.rawValue)") }
        if filter.overdueOnly {
            query.append(" AND a.status = 'open' AND a.due_date < \(today.description)::date")
        }
        query.append(" ORDER BY a.id LIMIT \(limit + 1)")
        let records = try connection.query(query).map { row in
            ActionItemRecord(item: try Self.item(row), incidentID: try row.decode("incident_id"))
        }
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last.map { ActionItemCursor.encode(id: $0.item.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }
}
