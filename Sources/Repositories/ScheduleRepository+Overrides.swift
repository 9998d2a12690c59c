import Domain
import Foundation
import Postgres

extension ScheduleRepository {
    /// Adds an override to schedule `scheduleID` (the caller found the schedule and the user).
    public func addOverride(_ override: NewOverride, scheduleID: Int64, actor: String) throws
        -> OverrideRecord
    {
        do {
            let rows = try connection.query(
                """
                INSERT INTO schedule_overrides (schedule_id, user_id, starts_at, ends_at, created_by)
                VALUES (\(scheduleID), \(override.userID), \(override.start), \(override.end), \(actor))
                RETURNING \(sql: Self.overrideColumns)
                """)
            return try Self.override(rows[0])
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "schedule_overrides_user_fk")
        {
            // Checked before, deleted by a concurrent request since.
            throw ValidationError(field: "user", message: "names a user that was just deleted")
        }
    }

    /// The overrides of a schedule that end after `endingAfter` and start before
    /// `startingBefore` (nil: any), as the rules Domain computes with: what a computation over
    /// that window needs. Only the four columns the computation reads, decoded by position:
    /// `oncall?at=` reads up to thousands of them per request.
    public func overrideRules(scheduleID: Int64, endingAfter: Date?, startingBefore: Date?) throws
        -> [ScheduleOverride]
    {
        var query: PostgresQuery =
            "SELECT id, user_id, starts_at, ends_at FROM schedule_overrides WHERE schedule_id = \(scheduleID)"
        if let endingAfter { query.append(" AND ends_at > \(endingAfter)") }
        if let startingBefore { query.append(" AND starts_at < \(startingBefore)") }
        return try connection.query(query).map { row in
            ScheduleOverride(
                id: try row.decode(0), userID: try row.decode(1), start: try row.decode(2),
                end: try row.decode(3))
        }
    }

    /// A page of a schedule's overrides in id (creation) order, optionally only those ending
    /// after `endingAfter`.
    public func listOverrides(scheduleID: Int64, endingAfter: Date?, limit: Int, cursor: String?) throws
        -> RepositoryPage<OverrideRecord>
    {
        var query: PostgresQuery =
            "SELECT \(sql: Self.overrideColumns) FROM schedule_overrides WHERE schedule_id = \(scheduleID)"
        if let endingAfter { query.append(" AND ends_at > \(endingAfter)") }
        if let cursor { query.append(" AND id > \(try PeopleCursor.decode(PeopleCursor.overrides, cursor))") }
        query.append(" ORDER BY id LIMIT \(limit + 1)")
        let rows = try connection.query(query).map(Self.override)
        let page = Array(rows.prefix(limit))
        let next =
            rows.count > limit
            ? page.last.map { PeopleCursor.encode(PeopleCursor.overrides, id: $0.id) } : nil
        return RepositoryPage(items: page, nextCursor: next)
    }

    /// Deletes override `id` of schedule `scheduleID`; false when it has no such override.
    public func deleteOverride(id: Int64, scheduleID: Int64) throws -> Bool {
        try connection.execute(
            "DELETE FROM schedule_overrides WHERE id = \(id) AND schedule_id = \(scheduleID)") == 1
    }

    static let overrideColumns: StaticString =
        "id, schedule_id, user_id, starts_at, ends_at, created_by, created_at"

    static func override(_ row: PostgresRow) throws -> OverrideRecord {
        OverrideRecord(
            id: try row.decode("id"), scheduleID: try row.decode("schedule_id"),
            userID: try row.decode("user_id"),
            start: try row.decode("starts_at"), end: try row.decode("ends_at"),
            createdBy: try row.decode("created_by"),
            createdAt: try row.decode("created_at"))
    }
}

extension ScheduleRepository {
    /// Who schedule `scheduleID` has on call at `instant` (SPEC §10: the newest covering
    /// override, else the last covering layer); nil for nobody or no such schedule. Reads only
    /// the overrides covering the instant.
    public func onCall(scheduleID: Int64, at instant: Date) throws -> Int64? {
        guard let record = try find(id: scheduleID) else { return nil }
        // starts_at < instant + 1 µs is starts_at <= instant at PostgreSQL's precision.
        let overrides = try overrideRules(
            scheduleID: scheduleID, endingAfter: instant,
            startingBefore: instant.addingTimeInterval(0.000_001))
        return OnCallSchedule(zone: record.zone, layers: record.layers, overrides: overrides)
            .onCall(at: instant)?.userID
    }
}
