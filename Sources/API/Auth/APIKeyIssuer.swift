import Foundation
import Postgres
import Repositories

/// Makes API keys: used by `POST /api/v1/api-keys`, `incidentd keys create` and the embedded
/// default's first start, so all three issue keys the same way.
public enum APIKeyIssuer {
    /// A stored key and its secret, which exists only here and is shown once.
    public struct Issued: Sendable {
        public let record: APIKeyRecord
        public let secret: String
    }

    public static func issue(name: String, role: Role, expiresAt: Date?, connection: PostgresConnection)
        throws
        -> Issued
    {
        let (keyID, secret) = KeyFormat.newAPIKey()
        let record = try APIKeyRepository(connection).create(
            keyID: keyID, secretHash: KeyFormat.hash(secret), name: name, role: role.rawValue,
            expiresAt: expiresAt)
        return Issued(record: record, secret: secret)
    }
}
