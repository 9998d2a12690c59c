import Foundation
import Postgres

/// A stored API key, without its secret (only the hash is ever stored).
public struct APIKeyRecord: Sendable, Equatable {
    public let id: Int64
    public let keyID: String
    public let name: String
    public let role: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let expiresAt: Date?
    public let revokedAt: Date?
}

/// SQL for `api_keys` (SPEC §5). Runs on the caller's connection (ADR 0002).
public struct APIKeyRepository {
    /// `last_used_at` is written at most this often per key, so reads do not become writes.
    public static let lastUsedResolution: TimeInterval = 60

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores a new key by the hash of its secret.
    public func create(keyID: String, secretHash: [UInt8], name: String, role: String, expiresAt: Date?)
        throws
        -> APIKeyRecord
    {
        let rows = try connection.query(
            """
            INSERT INTO api_keys (key_id, secret_hash, name, role, expires_at)
            VALUES (\(keyID), \(secretHash), \(name), \(role), \(expiresAt))
            RETURNING \(sql: Self.columns)
            """)
        return try Self.record(rows[0])
    }

    /// The key with this lookup id and its secret hash, whatever its state.
    public func findForAuthentication(keyID: String) throws -> (record: APIKeyRecord, secretHash: [UInt8])? {
        let rows = try connection.query(
            "SELECT \(sql: Self.columns), secret_hash FROM api_keys WHERE key_id = \(keyID)")
        guard let row = rows.first else { return nil }
        return (try Self.record(row), try row.decode("secret_hash", as: [UInt8].self))
    }

    /// Records use, at most once per `lastUsedResolution`.
    public func touch(id: Int64, at now: Date) throws {
        let before = now.addingTimeInterval(-Self.lastUsedResolution)
        _ = try connection.execute(
            """
            UPDATE api_keys SET last_used_at = \(now)
            WHERE id = \(id) AND (last_used_at IS NULL OR last_used_at < \(before))
            """)
    }

    /// Every key, newest first.
    public func list() throws -> [APIKeyRecord] {
        try connection.query("SELECT \(sql: Self.columns) FROM api_keys ORDER BY id DESC").map(Self.record)
    }

    /// Whether any key that still works exists (the embedded default's first start makes one).
    public func hasActiveAdmin(now: Date) throws -> Bool {
        let rows = try connection.query(
            """
            SELECT 1 AS one FROM api_keys
            WHERE role = 'admin' AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > \(now)) LIMIT 1
            """)
        return !rows.isEmpty
    }

    /// Revokes a key; nil when there is no such key. Revoking twice keeps the first time.
    public func revoke(id: Int64, at now: Date) throws -> APIKeyRecord? {
        let rows = try connection.query(
            """
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(now))
            WHERE id = \(id) RETURNING \(sql: Self.columns)
            """)
        return try rows.first.map(Self.record)
    }

    static let columns: StaticString =
        "id, key_id, name, role, created_at, last_used_at, expires_at, revoked_at"

    static func record(_ row: PostgresRow) throws -> APIKeyRecord {
        APIKeyRecord(
            id: try row.decode("id"), keyID: try row.decode("key_id"), name: try row.decode("name"),
            role: try row.decode("role"), createdAt: try row.decode("created_at"),
            lastUsedAt: try row.decode("last_used_at"), expiresAt: try row.decode("expires_at"),
            revokedAt: try row.decode("revoked_at"))
    }
}
