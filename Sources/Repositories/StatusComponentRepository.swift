import Domain
import Foundation
import Postgres

/// SQL for status page components and their manual overrides (SPEC §13). Runs inside the
/// caller's transaction (ADR 0002). A taken name is a unique violation on
/// `status_components_name_unique`. Statuses are derived on read
/// (``StatusComponentRepository/histories(of:at:)``).
public struct StatusComponentRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Creates a component over these (already resolved) services.
    public func create(name: String, description: String, group: String?, serviceIDs: [Int64], now: Date)
        throws -> StatusComponentRecord
    {
        let rows = try Self.namedUniquely(name) {
            try connection.query(
                """
                WITH c AS (
                    INSERT INTO status_components (name, description, group_name, service_ids, created_at, updated_at)
                    VALUES (\(name), \(description), \(group), \(serviceIDs), \(now), \(now)) RETURNING *)
                SELECT \(sql: StatusComponentRecord.columns) FROM c
                """)
        }
        return try StatusComponentRecord(row: rows[0])
    }

    /// `query`, with a clash of component names as a conflict naming `name`.
    private static func namedUniquely(_ name: String, _ query: () throws -> PostgresRows) throws
        -> PostgresRows
    {
        do {
            return try query()
        } catch let error as PostgresError
            where error.isUniqueViolation(constraint: "status_components_name_unique")
        {
            throw DomainError.conflict("A status component named \(name) already exists.")
        }
    }

    /// The component with this id.
    public func find(id: Int64) throws -> StatusComponentRecord? {
        try connection.query(
            "SELECT \(sql: StatusComponentRecord.columns) FROM status_components c WHERE c.id = \(id)"
        ).first.map(StatusComponentRecord.init(row:))
    }

    /// Every component, by group then id (a status page has tens, not thousands).
    public func list() throws -> [StatusComponentRecord] {
        try connection.query(
            """
            SELECT \(sql: StatusComponentRecord.columns) FROM status_components c
            ORDER BY c.group_name NULLS FIRST, c.id
            """
        ).map(StatusComponentRecord.init(row:))
    }

    /// Changes the given fields (nil: unchanged; `group` `.some(nil)` clears it). Throws `.notFound`.
    public func update(
        id: Int64, name: String?, description: String?, group: String??, serviceIDs: [Int64]?, now: Date
    ) throws -> StatusComponentRecord {
        guard
            let current = try connection.query(
                "SELECT \(sql: StatusComponentRecord.columns) FROM status_components c WHERE c.id = \(id) FOR UPDATE OF c"
            ).first.map(StatusComponentRecord.init(row:))
        else { throw DomainError.notFound(.statusComponent, String(id)) }
        let newGroup: String? = group ?? current.group
        let rows = try Self.namedUniquely(name ?? current.name) {
            try connection.query(
                """
                WITH c AS (
                    UPDATE status_components SET name = \(name ?? current.name),
                        description = \(description ?? current.description), group_name = \(newGroup),
                        service_ids = \(serviceIDs ?? current.serviceIDs), updated_at = \(now)
                    WHERE id = \(id) RETURNING *)
                SELECT \(sql: StatusComponentRecord.columns) FROM c
                """)
        }
        return try StatusComponentRecord(row: rows[0])
    }

    /// Deletes the component and its overrides; false when there was none.
    public func delete(id: Int64) throws -> Bool {
        try !connection.query("DELETE FROM status_components WHERE id = \(id) RETURNING id").isEmpty
    }

    /// Records a manual override (nil clears it) when it differs from the current one, and
    /// moves the component's `updated_at`. Returns whether it changed anything.
    @discardableResult
    public func setOverride(componentID: Int64, status: ComponentStatus?, by actor: String, now: Date) throws
        -> Bool
    {
        let current =
            try connection.query(
                """
                SELECT status FROM status_component_overrides WHERE component_id = \(componentID)
                ORDER BY set_at DESC, id DESC LIMIT 1
                """
            ).first.map { row -> String? in try row.decode("status") } ?? nil
        guard current != status?.rawValue else { return false }
        try connection.execute(
            """
            INSERT INTO status_component_overrides (component_id, status, set_at, set_by)
            VALUES (\(componentID), \(status?.rawValue), \(now), \(actor))
            """)
        try connection.execute("UPDATE status_components SET updated_at = \(now) WHERE id = \(componentID)")
        return true
    }

    /// The manual override in force now, if any.
    public func currentOverride(componentID: Int64) throws -> ComponentStatus? {
        let text =
            try connection.query(
                """
                SELECT status FROM status_component_overrides WHERE component_id = \(componentID)
                ORDER BY set_at DESC, id DESC LIMIT 1
                """
            ).first.map { row -> String? in try row.decode("status") } ?? nil
        return text.flatMap(ComponentStatus.init(rawValue:))
    }
}
