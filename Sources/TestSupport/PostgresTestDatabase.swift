import Postgres

/// A database of its own for one test, copied from the migrated template.
public struct PostgresTestDatabase: Sendable {
    /// The database name (`test_17`).
    public let name: String
    /// libpq conninfo for it (Unix socket of the test cluster).
    public let conninfo: String

    /// A new connection to this database.
    public func connect(options: PostgresConnection.Options = .init()) throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo, options: options)
    }

    /// A pool on this database.
    public func makePool(
        maxConnections: Int = 4, acquireTimeout: Duration = .seconds(5),
        statementTimeout: Duration? = .seconds(30)
    ) -> PostgresPool {
        PostgresPool(
            configuration: PostgresPool.Configuration(
                conninfo: conninfo, maxConnections: maxConnections, acquireTimeout: acquireTimeout,
                connection: PostgresConnection.Options(statementTimeout: statementTimeout)))
    }
}
