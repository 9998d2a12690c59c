/// Creating databases, for the embedded cluster and the tests (names cannot be bind
/// parameters, so they are quoted as identifiers).
extension PostgresConnection {
    /// Whether a database named `name` exists on the server.
    public func databaseExists(_ name: String) throws -> Bool {
        try !query("SELECT 1 FROM pg_database WHERE datname = \(name)").isEmpty
    }

    /// Creates database `name` unless it exists; returns whether it created it. Safe against a
    /// concurrent creator (42P04 duplicate_database counts as "exists").
    @discardableResult
    public func createDatabaseIfMissing(_ name: String) throws -> Bool {
        guard try !databaseExists(name) else { return false }
        do {
            try query("CREATE DATABASE \(identifier: name)")
            return true
        } catch let error as PostgresError where error.sqlState == "42P04" {
            return false
        }
    }
}
