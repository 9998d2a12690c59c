import Domain
import Foundation
import Postgres

/// SQL for `schedules`, their layers and participants (SPEC §10). Reads return the rules;
/// Domain's ``OnCallSchedule`` computes who is on call from them.
public struct ScheduleRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores a new schedule with its layers (every rotation starting at its first participant).
    public func create(_ definition: ScheduleDefinition) throws -> ScheduleRecord {
        let rows = try mappingConflicts {
            try connection.query(
                """
                INSERT INTO schedules (name, time_zone) VALUES (\(definition.name), \(definition.zone.identifier))
                RETURNING \(sql: Self.columns)
                """)
        }
        let id: Int64 = try rows[0].decode("id")
        try insertLayers(definition.layersWithFreshAnchors, scheduleID: id)
        return try schedule(rows[0], layers: try layers(scheduleID: id))
    }

    /// A schedule by id.
    public func find(id: Int64) throws -> ScheduleRecord? {
        guard
            let row = try connection.query("SELECT \(sql: Self.columns) FROM schedules WHERE id = \(id)")
                .first
        else { return nil }
        return try schedule(row, layers: try layers(scheduleID: id))
    }

    /// A schedule by exact name.
    public func find(name: String) throws -> ScheduleRecord? {
        guard
            let row = try connection.query("SELECT \(sql: Self.columns) FROM schedules WHERE name = \(name)")
                .first
        else { return nil }
        return try schedule(row, layers: try layers(scheduleID: try row.decode("id")))
    }

    /// Schedules in id order, `limit` per page.
    public func list(limit: Int, cursor: String?) throws -> RepositoryPage<ScheduleRecord> {
        var query: PostgresQuery = "SELECT \(sql: Self.columns) FROM schedules"
        if let cursor {
            query.append(" WHERE id > \(try PeopleCursor.decode(PeopleCursor.schedules, cursor))")
        }
        query.append(" ORDER BY id LIMIT \(limit + 1)")
        let rows = try connection.query(query)
        var records: [ScheduleRecord] = []
        for row in rows.prefix(limit) {
            records.append(try schedule(row, layers: try layers(scheduleID: try row.decode("id"))))
        }
        let next =
            rows.count > limit
            ? records.last.map { PeopleCursor.encode(PeopleCursor.schedules, id: $0.id) } : nil
        return RepositoryPage(items: records, nextCursor: next)
    }

    /// Applies a patch at `now` under a row lock: edited layers keep the person on call now
    /// (``SchedulePatch/merge(_:into:oldZone:newZone:at:)``). Nil when there is no such schedule.
    public func update(id: Int64, patch: SchedulePatch, now: Date) throws -> ScheduleRecord? {
        guard
            let row = try connection.query(
                "SELECT \(sql: Self.columns) FROM schedules WHERE id = \(id) FOR UPDATE"
            ).first
        else { return nil }
        let stored = try schedule(row, layers: try layers(scheduleID: id))
        let zone = patch.zone ?? stored.zone
        // A new zone moves every hand-off: layers not edited are re-anchored as edited.
        let edited = patch.layers ?? (zone == stored.zone ? nil : stored.layers)
        if let edited {
            let merged = try SchedulePatch.merge(
                edited, into: stored.layers, oldZone: stored.zone, newZone: zone, at: now)
            try connection.execute("DELETE FROM schedule_layers WHERE schedule_id = \(id)")
            try insertLayers(merged, scheduleID: id)
        }
        let rows = try mappingConflicts {
            try connection.query(
                """
                UPDATE schedules SET name = COALESCE(\(patch.name), name), time_zone = \(zone.identifier),
                    updated_at = \(now)
                WHERE id = \(id) RETURNING \(sql: Self.columns)
                """)
        }
        return try schedule(rows[0], layers: try layers(scheduleID: id))
    }

    /// Deletes a schedule with its layers and overrides; false when there is none. Refused (409)
    /// while an escalation policy pages it.
    public func delete(id: Int64) throws -> Bool {
        try EscalationPolicyRepository(connection).refuseDeletingTarget(
            .init(.schedule, id: id), what: "Schedule \(id)")
        do {
            return try connection.execute("DELETE FROM schedules WHERE id = \(id)") == 1
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "escalation_policy_targets_schedule_fk")
        {
            throw DomainError.conflict(
                "Schedule \(id) was just named by an escalation policy; take it out first.")
        }
    }

    /// Runs `body`, turning a taken schedule name into a conflict.
    private func mappingConflicts<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "schedules_name_unique")
        {
            throw DomainError.conflict("A schedule with this name already exists.")
        }
    }

    static let columns: StaticString = "id, name, time_zone, created_at, updated_at"

    func schedule(_ row: PostgresRow, layers: [ScheduleLayer]) throws -> ScheduleRecord {
        let identifier: String = try row.decode("time_zone")
        guard let zone = ScheduleZone(identifier: identifier) else {
            // Stored after validation; only a tz database without this zone can get here.
            throw PostgresError(.decoding, message: "schedules.time_zone \(identifier) is not a known zone")
        }
        return ScheduleRecord(
            id: try row.decode("id"), name: try row.decode("name"), zone: zone, layers: layers,
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }
}
