import Domain
import Foundation
import Postgres

/// SQL for `contact_methods` (SPEC §10).
public struct ContactMethodRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Most contact methods one person may have (422 beyond).
    public static let maxPerUser = 20

    /// Adds a method to person `userID`; `secret` is a webhook's signing secret (nil for the
    /// other kinds). Not found when there is no such person.
    public func add(_ method: NewContactMethod, userID: Int64, secret: String?) throws -> ContactMethodRecord
    {
        // Locks the person, so concurrent adds count one after the other.
        guard try connection.query("SELECT id FROM users WHERE id = \(userID) FOR UPDATE").first != nil else {
            throw DomainError.notFound(.user, String(userID))
        }
        let count = try connection.query(
            "SELECT count(*) AS n FROM contact_methods WHERE user_id = \(userID)"
        )[0].decode("n", as: Int64.self)
        guard count < Self.maxPerUser else {
            throw ValidationError(
                field: "kind", message: "a user may have at most \(Self.maxPerUser) contact methods")
        }
        let rows = try connection.query(
            """
            INSERT INTO contact_methods (user_id, kind, address, secret)
            VALUES (\(userID), \(method.kind.rawValue), \(method.address), \(secret))
            RETURNING \(sql: Self.columns)
            """)
        return try Self.method(rows[0])
    }

    /// A person's methods in the order they were added.
    public func list(userID: Int64) throws -> [ContactMethodRecord] {
        try connection.query(
            "SELECT \(sql: Self.columns) FROM contact_methods WHERE user_id = \(userID) ORDER BY id"
        ).map(Self.method)
    }

    /// Removes method `id` of person `userID`; false when they have no such method.
    public func delete(id: Int64, userID: Int64) throws -> Bool {
        try connection.execute("DELETE FROM contact_methods WHERE id = \(id) AND user_id = \(userID)") == 1
    }

    static let columns: StaticString = "id, user_id, kind, address, created_at"

    static func method(_ row: PostgresRow) throws -> ContactMethodRecord {
        ContactMethodRecord(
            id: try row.decode("id"), userID: try row.decode("user_id"), kind: try row.decode("kind"),
            address: try row.decode("address"), createdAt: try row.decode("created_at"))
    }
}
