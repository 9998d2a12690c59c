import Foundation
import Postgres

/// A response kept for an `Idempotency-Key` (issue 5).
public struct StoredResponse: Sendable, Equatable {
    public let requestHash: [UInt8]
    public let status: Int
    public let contentType: String
    public let body: [UInt8]
    public let location: String?

    public init(requestHash: [UInt8], status: Int, contentType: String, body: [UInt8], location: String?) {
        self.requestHash = requestHash
        self.status = status
        self.contentType = contentType
        self.body = body
        self.location = location
    }
}

/// SQL for `idempotency_keys`.
public struct IdempotencyRepository {
    /// Keys are kept this long; a retry after that runs again.
    public static let retention: TimeInterval = 24 * 3600
    public static let maxKeyLength = 255  // 400 beyond

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The stored response for (actor, key), if one is younger than `retention`.
    public func find(actor: String, key: String, now: Date) throws -> StoredResponse? {
        let oldest = now.addingTimeInterval(-Self.retention)
        let rows = try connection.query(
            """
            SELECT request_hash, status, content_type, body, headers->>'location' AS location
            FROM idempotency_keys WHERE actor = \(actor) AND key = \(key) AND created_at > \(oldest)
            """)
        guard let row = rows.first else { return nil }
        return StoredResponse(
            requestHash: try row.decode("request_hash"), status: try row.decode("status"),
            contentType: try row.decode("content_type"), body: try row.decode("body"),
            location: try row.decode("location"))
    }

    /// Stores the response; false when another request stored one for the key first (it
    /// committed while this one ran: this one must roll back and answer with that one).
    public func store(actor: String, key: String, response: StoredResponse, now: Date) throws -> Bool {
        let headers = try PostgresJSON(encoding: response.location.map { ["location": $0] } ?? [:])
        let oldest = now.addingTimeInterval(-Self.retention)
        let inserted = try connection.execute(
            """
            INSERT INTO idempotency_keys (actor, key, request_hash, status, content_type, body, headers, created_at)
            VALUES (\(actor), \(key), \(response.requestHash), \(response.status), \(response.contentType),
                    \(response.body), \(headers), \(now))
            ON CONFLICT ON CONSTRAINT idempotency_keys_pkey DO UPDATE
                SET request_hash = EXCLUDED.request_hash, status = EXCLUDED.status,
                    content_type = EXCLUDED.content_type, body = EXCLUDED.body, headers = EXCLUDED.headers,
                    created_at = EXCLUDED.created_at
                WHERE idempotency_keys.created_at <= \(oldest)
            """)
        return inserted == 1
    }
}
