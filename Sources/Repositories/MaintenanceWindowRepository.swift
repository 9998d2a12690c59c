import Domain
import Foundation
import Postgres

/// SQL for maintenance windows (SPEC §12, migration 0014). Runs inside the caller's transaction
/// (ADR 0002).
///
/// - ``create(_:serviceIDs:actor:now:)``, ``find(id:)``, ``list(state:now:limit:cursor:)``.
/// - Transitions (`+Transitions`): the job's ``claimDue(now:limit:)`` and
///   ``advance(_:actor:policy:now:)``, and ``cancel(id:actor:policy:now:)``; both end a period
///   through ``end(_:cancelled:actor:policy:now:)``, which hands the alerts it held back to
///   SPEC §3 grouping.
///
/// Suppression itself is no method here: the alert trigger statements look the window up
/// themselves (`AlertTriggerSQL.activeWindow`), in the statement that writes the alert.
public struct MaintenanceWindowRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores `window` over the services `serviceIDs` (empty: every service). Its first period is
    /// the one in force at `now` or the next.
    public func create(_ window: NewMaintenanceWindow, serviceIDs: [Int64], actor: String, now: Date) throws
        -> MaintenanceWindowRecord
    {
        guard let period = window.timing.period(atOrAfter: now) else {
            // NewMaintenanceWindow checked that a one-off window ends after `now` and that a rule occurs.
            throw DomainError.validation([FieldIssue(field: "rrule", message: "has no occurrence ahead")])
        }
        let recurrence = window.timing.recurrence
        var endsAt: Date?
        if case .once(let once) = window.timing { endsAt = once.end }
        let rows = try connection.query(
            """
            INSERT INTO maintenance_windows AS w (description, public, all_services, service_ids, starts_at, ends_at,
                                                  rrule, time_zone, rule_start, duration_seconds, next_starts_at,
                                                  next_ends_at, created_by, created_at, updated_at)
            VALUES (\(window.description), \(window.isPublic), \(serviceIDs.isEmpty), \(Array(Set(serviceIDs)).sorted()),
                    \(window.startsAt), \(endsAt),
                    \(recurrence?.rule.description), \(recurrence?.zone.identifier), \(recurrence?.start.description),
                    \(recurrence.map { Int64($0.durationSeconds) })::int4, \(period.start), \(period.end), \(actor),
                    \(now), \(now))
            RETURNING \(sql: MaintenanceWindowRecord.columns)
            """)
        let id: Int64 = try rows[0].decode("id")
        return try MaintenanceWindowRecord(row: rows[0], services: try services(of: [id])[id] ?? [])
    }

    /// The window with this id.
    public func find(id: Int64) throws -> MaintenanceWindowRecord? {
        try records(
            connection.query(
                "SELECT \(sql: MaintenanceWindowRecord.columns) FROM maintenance_windows w WHERE w.id = \(id)"
            )
        ).first
    }

    /// Windows newest first, `limit` per page after the page `cursor` ended, only those in `state`
    /// at `now` when given (``MaintenanceWindowRecord/state(at:)`` in SQL). Throws a validation
    /// error naming `cursor` when it is not a cursor of this list.
    public func list(state: MaintenanceWindowState?, now: Date, limit: Int, cursor: String?) throws
        -> RepositoryPage<MaintenanceWindowRecord>
    {
        var query: PostgresQuery =
            "SELECT \(sql: MaintenanceWindowRecord.columns) FROM maintenance_windows w WHERE true"
        if let cursor {
            guard let lastID = KeysetCursorCoding.decode(tag: "maintenance", cursor) else {
                throw ValidationError(field: "cursor", message: "is not a cursor of this list")
            }
            query.append(" AND w.id < \(lastID)")
        }
        switch state {
        case .active?:
            query.append(
                " AND w.finished_at IS NULL AND w.next_starts_at <= \(now) AND w.next_ends_at > \(now)")
        case .upcoming?:
            // A recurring window whose period just ended waits for the job to move it on: upcoming.
            query.append(
                """
                 AND w.finished_at IS NULL AND (w.next_starts_at > \(now) OR (w.rrule IS NOT NULL AND w.next_ends_at <= \(now)))
                """)
        case .past?:
            query.append(" AND (w.finished_at IS NOT NULL OR (w.rrule IS NULL AND w.next_ends_at <= \(now)))")
        case nil:
            break
        }
        query.append(" ORDER BY w.id DESC LIMIT \(limit + 1)")
        let found = try records(connection.query(query))
        let page = Array(found.prefix(limit))
        let next =
            found.count > limit
            ? page.last.map { KeysetCursorCoding.encode(tag: "maintenance", id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Rows selected with ``MaintenanceWindowRecord/columns`` as records, with their services.
    func records(_ rows: PostgresRows) throws -> [MaintenanceWindowRecord] {
        let ids = try rows.map { try $0.decode("id", as: Int64.self) }
        let services = try services(of: ids)
        return try rows.map { row in
            try MaintenanceWindowRecord(
                row: row, services: services[try row.decode("id", as: Int64.self)] ?? [])
        }
    }

    /// The services each of the windows `ids` names, by name.
    private func services(of ids: [Int64]) throws -> [Int64: [MaintenanceWindowRecord.ServiceName]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT w.id AS window_id, s.id, s.name FROM maintenance_windows w JOIN services s ON s.id = ANY (w.service_ids)
            WHERE w.id = ANY(\(ids)) ORDER BY s.name
            """)
        var result: [Int64: [MaintenanceWindowRecord.ServiceName]] = [:]
        for row in rows {
            result[try row.decode("window_id"), default: []].append(
                .init(id: try row.decode("id"), name: try row.decode("name")))
        }
        return result
    }
}
