import Foundation
import Postgres

/// A row of `status_components` with its services' names (SPEC §13).
public struct StatusComponentRecord: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let description: String
    public let group: String?
    public let serviceIDs: [Int64]
    /// The names of ``serviceIDs``, in the same order.
    public let serviceNames: [String]
    public let createdAt: Date
    public let updatedAt: Date

    /// Columns every component query selects; `c` is `status_components`.
    static let columns: StaticString = """
        c.id, c.name, c.description, c.group_name, c.service_ids, c.created_at, c.updated_at,
        ARRAY(SELECT s.name FROM unnest(c.service_ids) WITH ORDINALITY AS u(sid, n)
              JOIN services s ON s.id = u.sid ORDER BY u.n) AS service_names
        """

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        name = try row.decode("name")
        description = try row.decode("description")
        group = try row.decode("group_name")
        serviceIDs = try row.decode("service_ids")
        serviceNames = try row.decode("service_names")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
