import Domain
import Foundation
import Postgres

/// SQL for the read-only switch (migration 0011): one row, read by every process.
public struct ReadOnlyModeRepository {
    /// Notified at the commit of every change of the switch.
    public static let channel = "incidentd_read_only"

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The switch as stored.
    public func current() throws -> ReadOnlyState {
        try Self.state(
            connection.query(
                """
                SELECT enabled, reason, retry_after_seconds, changed_at, changed_by FROM read_only_mode
                """)[0])
    }

    /// Flips the switch; every process follows within a second (NOTIFY at commit).
    public func set(enabled: Bool, reason: String, retryAfterSeconds: Int, by actor: String, now: Date) throws
        -> ReadOnlyState
    {
        try Self.state(
            connection.query(
                """
                UPDATE read_only_mode
                SET enabled = \(enabled), reason = \(reason), retry_after_seconds = \(Int64(retryAfterSeconds)),
                    changed_at = \(now), changed_by = \(actor)
                RETURNING enabled, reason, retry_after_seconds, changed_at, changed_by
                """)[0])
    }

    private static func state(_ row: PostgresRow) throws -> ReadOnlyState {
        ReadOnlyState(
            enabled: try row.decode("enabled"), reason: try row.decode("reason"),
            retryAfterSeconds: Int(try row.decode("retry_after_seconds", as: Int32.self)),
            changedAt: try row.decode("changed_at"), changedBy: try row.decode("changed_by"))
    }
}
