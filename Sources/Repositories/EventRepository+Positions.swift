import Domain
import Postgres

extension EventRepository {
    /// Up to `limit` final events after `position` (nil: from the start of the log), in the log
    /// order, unfiltered: what the live stream reads (SPEC §8). The same reader as
    /// ``list(_:limit:)``: only rows below the xmin horizon (ADR 0005), so resuming from the
    /// last position returned never skips an event committed late with a smaller id.
    public func page(after position: EventLogPosition?, limit: Int) throws -> [LoggedEvent] {
        var query: PostgresQuery = """
            SELECT \(sql: Self.columns), e.xid::text AS xid_text FROM events e
            WHERE \(sql: Self.finalRows)
            """
        if let position {
            query.append(" AND (e.xid, e.id) > (\(String(position.xid))::xid8, \(position.id))")
        }
        query.append(" ORDER BY e.xid, e.id LIMIT \(limit)")
        return try connection.query(query).map(Self.loggedEvent)
    }

    /// The position of the event with this id (final or not), or nil when there is none.
    public func position(of id: Int64) throws -> EventLogPosition? {
        try connection.query("SELECT e.id, e.xid::text AS xid_text FROM events e WHERE e.id = \(id)").first
            .map(
                Self.position)
    }

    /// The position of the last final event (nil: the log has none yet): where a stream that
    /// starts live begins.
    public func horizon() throws -> EventLogPosition? {
        try connection.query(
            """
            SELECT e.id, e.xid::text AS xid_text FROM events e WHERE \(sql: Self.finalRows)
            ORDER BY e.xid DESC, e.id DESC LIMIT 1
            """
        ).first.map(Self.position)
    }

    /// Rows no transaction still running can precede (ADR 0005); `e` is `events`.
    static let finalRows: StaticString = "e.xid < pg_snapshot_xmin(pg_current_snapshot())"

    static func position(_ row: PostgresRow) throws -> EventLogPosition {
        let text: String = try row.decode("xid_text")
        guard let xid = UInt64(text) else {
            throw ValidationError(field: "xid", message: "the log returned the transaction id \(text)")
        }
        return EventLogPosition(xid: xid, id: try row.decode("id"))
    }

    static func loggedEvent(_ row: PostgresRow) throws -> LoggedEvent {
        LoggedEvent(position: try position(row), event: try event(row))
    }
}
