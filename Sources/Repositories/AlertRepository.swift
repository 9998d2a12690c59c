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
        var query: PostgresQuery
        if let since = filter.since, try changesAreFew(since: since) {
            // No index on updated_at keeps a dedup a HOT update (migration 0008). The alerts
            // changed since `since` are found through the timeline, which gets an entry created at
            // the same instant whenever an alert's updated_at moves; MATERIALIZED keeps the
            // planner from probing every alert's whole timeline instead.
            query = """
                WITH changed AS MATERIALIZED (
                    SELECT DISTINCT t.alert_id FROM timeline_entries t
                    WHERE t.alert_id IS NOT NULL AND t.created_at >= \(since))
                SELECT \(sql: AlertRecord.columns)
                FROM alerts a JOIN changed c ON c.alert_id = a.id JOIN services s ON s.id = a.service_id WHERE true
                """
        } else {
            query = """
                SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id WHERE true
                """
        }
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
        // The definition of the change feed, whichever way the candidates were found.
        if let since = filter.since { query.append(" AND a.updated_at >= \(since)") }
        // One row more than asked tells whether another page exists.
        query.append(" ORDER BY a.id DESC LIMIT \(limit + 1)")
        let records = try connection.query(query).map(AlertRecord.init(row:))
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last.map { AlertCursor.encode(id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Timeline entries of alerts a `since=` window may hold and still be read through the
    /// timeline: each costs about a microsecond, so the lookup stays within milliseconds. A
    /// longer window (an alert storm over minutes) scans the alerts instead, whose cost is the
    /// size of the table, not of the storm.
    public static let feedTimelineLimit = 20_000

    /// Whether fewer than ``feedTimelineLimit`` alert timeline entries were created since `since`.
    private func changesAreFew(since: Date) throws -> Bool {
        let rows = try connection.query(
            """
            SELECT count(*)::int8 AS n FROM (
                SELECT 1 FROM timeline_entries WHERE alert_id IS NOT NULL AND created_at >= \(since)
                LIMIT \(Int64(Self.feedTimelineLimit))) w
            """)
        return try rows[0].decode("n", as: Int64.self) < Int64(Self.feedTimelineLimit)
    }
}
