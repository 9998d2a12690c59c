import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// Incidents matching `filter`, newest first, `limit` per page after the page `cursor`
    /// ended. Throws a validation error naming `cursor` when it is not an incidents cursor.
    ///
    /// `status=open` is written as `status <> 'resolved'`, the predicate of the partial index
    /// `incidents_open_id`, so the dashboard poll reads only open incidents (issue 6).
    public func list(_ filter: IncidentListFilter, limit: Int, cursor: String?) throws -> RepositoryPage<
        Incident
    > {
        var query: PostgresQuery = "SELECT \(sql: Self.columns) FROM incidents i WHERE true"
        if let cursor {
            guard let lastID = IncidentCursor.decode(cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND i.id < \(lastID)")
        }
        query.append(Self.statusCondition(filter.statuses))
        if !filter.severities.isEmpty {
            query.append(" AND i.severity = ANY(\(filter.severities.map(\.rawValue).sorted()))")
        }
        if !filter.services.isEmpty {
            query.append(
                """
                 AND EXISTS (SELECT 1 FROM incident_services x JOIN services s ON s.id = x.service_id
                             WHERE x.incident_id = i.id AND s.name = ANY(\(filter.services)))
                """)
        }
        if let since = filter.since { query.append(" AND i.updated_at >= \(since)") }
        // One row more than asked tells whether another page exists.
        query.append(" ORDER BY i.id DESC LIMIT \(limit + 1)")
        let incidents = try connection.query(query).map(Self.incident)
        let page = Array(incidents.prefix(limit))
        let next = incidents.count > limit ? page.last.map { IncidentCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// The SQL for a status filter: fixed text for "open" (matching the partial index), a bind
    /// for other sets, nothing when every status (or none) is asked for.
    static func statusCondition(_ statuses: Set<IncidentStatus>) -> PostgresQuery {
        if statuses.isEmpty || statuses.count == IncidentStatus.allCases.count { return "" }
        if statuses == Set(IncidentStatus.openStatuses) { return " AND i.status <> 'resolved'" }
        return " AND i.status = ANY(\(statuses.map(\.rawValue).sorted()))"
    }
}
