import API
import Foundation
import Log
import Postgres
import Repositories

/// `incidentd keys create|list|revoke`, on the same database as `serve` (embedded included).
public struct KeyCommands {
    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Creates a key and prints its secret (shown once).
    public func create(name: String, role: String, expiresAt: Date?) throws {
        guard let role = Role(rawValue: role.lowercased()) else {
            throw ConfigurationError("--role must be one of viewer, responder, admin")
        }
        let issued = try withConnection { connection in
            try connection.withTransaction { connection in
                try APIKeyIssuer.issue(name: name, role: role, expiresAt: expiresAt, connection: connection)
            }
        }
        FileHandle.standardError.write(
            Data(
                "created key \(issued.record.id) '\(name)' with role \(role.rawValue); the secret is shown once:\n"
                    .utf8))
        print(issued.secret)
    }

    /// Lists keys without secrets.
    public func list() throws {
        let keys = try withConnection { try APIKeyRepository($0).list() }
        print("id\tprefix\trole\tname\tcreated\tlast used\texpires\trevoked")
        for key in keys {
            let fields = [
                String(key.id), KeyFormat.apiKeyPrefix + key.keyID, key.role, key.name,
                RFC3339.format(key.createdAt),
                key.lastUsedAt.map(RFC3339.format) ?? "-", key.expiresAt.map(RFC3339.format) ?? "-",
                key.revokedAt.map(RFC3339.format) ?? "-",
            ]
            print(fields.joined(separator: "\t"))
        }
    }

    /// Revokes a key by id.
    public func revoke(id: Int64) throws {
        let record = try withConnection { try APIKeyRepository($0).revoke(id: id, at: Date()) }
        guard let record else { throw ConfigurationError("no API key with id \(id)") }
        print("revoked key \(record.id) '\(record.name)'")
    }

    private func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try DatabaseCommand(configuration: configuration).withConnection(body)
    }
}
