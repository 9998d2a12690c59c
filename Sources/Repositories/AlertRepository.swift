import Domain
import Foundation
import Postgres

/// SQL for `alerts` (SPEC §3). Runs inside the caller's transaction (ADR 0002): every method
/// that changes an alert also writes its timeline entry on the same connection.
///
/// - ``trigger(_:serviceID:actor:now:)``: one upsert statement, safe under concurrent triggers.
/// - ``acknowledge(id:actor:note:now:)``, ``resolve(id:actor:resolution:now:)``: lock, decide
///   with ``AlertTransition``, update, log.
/// - ``find(id:)``, ``findOpen(serviceID:dedupKey:)``, ``list(_:limit:cursor:)``.
public struct AlertRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The alert with this id.
    public func find(id: Int64) throws -> AlertRecord? {
        try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.id = \(id)
            """
        ).first.map(AlertRecord.init(row:))
    }

    /// The open (not resolved) alert of a service with this dedup key; at most one exists.
    public func findOpen(serviceID: Int64, dedupKey: String) throws -> AlertRecord? {
        try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.service_id = \(serviceID) AND a.dedup_key = \(dedupKey) AND a.status <> 'resolved'
            """
        ).first.map(AlertRecord.init(row:))
    }

    /// Alerts matching `filter`, newest first, `limit` per page after the page `cursor` ended.
    /// Throws a validation error naming `cursor` when it is not an alerts cursor.
    public func list(_ filter: AlertListFilter, limit: Int, cursor: String?) throws -> RepositoryPage<
        AlertRecord
    > {
        var query: PostgresQuery = """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id WHERE true
            """
        if let cursor {
            guard let lastID = AlertCursor.decode(cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND a.id < \(lastID)")
        }
        if !filter.statuses.isEmpty {
            query.append(" AND a.status = ANY(\(filter.statuses.map(\.rawValue)))")
        }
        if !filter.severities.isEmpty {
            query.append(" AND a.severity = ANY(\(filter.severities.map(\.rawValue)))")
        }
        if !filter.services.isEmpty { query.append(" AND s.name = ANY(\(filter.services))") }
        if let serviceID = filter.serviceID { query.append(" AND a.service_id = \(serviceID)") }
        if let since = filter.since {
            // No index on updated_at keeps a dedup a HOT update (migration 0008): the candidates
            // come from the timeline, which gets an entry created at the same instant whenever
            // an alert's updated_at moves; the updated_at condition stays the definition.
            query.append(
                """
                 AND a.updated_at >= \(since) AND a.id IN (
                     SELECT t.alert_id FROM timeline_entries t WHERE t.alert_id IS NOT NULL AND t.created_at >= \(since))
                """)
        }
        // One row more than asked tells whether another page exists.
        query.append(" ORDER BY a.id DESC LIMIT \(limit + 1)")
        let records = try connection.query(query).map(AlertRecord.init(row:))
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last.map { AlertCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }
}
