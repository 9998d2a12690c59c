import Foundation
import Log
import Postgres
import PostgresCluster

/// A throwaway PostgreSQL cluster in a temporary folder, with a migrated template database
/// that fresh per-test databases are copied from.
///
/// The cluster is stopped and its folder deleted when the process exits (`atexit`); folders
/// left by test processes that crashed are cleaned up when the next one starts. Works as root
/// (the cluster then runs as the `postgres` user) and as an ordinary user.
public final class PostgresTestCluster: @unchecked Sendable {
    /// Name of the migrated template database.
    public static let templateName = "incidentd_template"

    /// Room for many parallel tests; minimal WAL makes `CREATE DATABASE ... STRATEGY FILE_COPY`
    /// several times faster (measured here: 0.15 s instead of 0.6 s).
    static let testSettings = ["max_connections": "300", "wal_level": "minimal", "max_wal_senders": "0"]

    public let cluster: LocalPostgresCluster
    /// The temporary folder holding the data folder and an `owner.pid` file.
    public let rootDirectory: String
    /// Serialises `CREATE DATABASE ... TEMPLATE`: two at once on one template conflict
    /// ("source database is being accessed by other users"). Guards the fields below.
    private let lock = NSLock()
    private var adminConnection: PostgresConnection?
    private var databaseCount = 0

    /// Creates, starts and (when `migrationsDirectory` is given) migrates a new cluster.
    public static func start(
        migrationsDirectory: String? = TestDatabase.migrationsDirectory
    ) throws -> PostgresTestCluster {
        let root = try makeScratchDirectory()
        let cluster = try LocalPostgresCluster(
            configuration: .init(dataDirectory: root + "/data", durable: false, settings: testSettings),
            logger: Logger(minimumLevel: .warning))
        let testCluster = PostgresTestCluster(cluster: cluster, rootDirectory: root)
        try cluster.initIfNeeded()
        try cluster.start()
        try testCluster.createTemplate(migrationsDirectory: migrationsDirectory)
        return testCluster
    }

    /// A new temporary folder (`/tmp/incidentd-test-<pid>-<n>`) for a test that runs its own
    /// `LocalPostgresCluster` in `<folder>/data`: at exit, or at the next test run after a
    /// crash, that server is stopped and the folder deleted.
    public static func makeScratchDirectory() throws -> String {
        try PostgresTestClusterRegistry.makeRootDirectory()
    }

    /// Stops the server in `<folder>/data` (by signal) and deletes a folder from
    /// `makeScratchDirectory()` now rather than at exit.
    public static func removeScratchDirectory(_ folder: String) throws {
        guard LocalPostgresCluster.stopBySignal(dataDirectory: folder + "/data") else {
            throw ClusterError("the test PostgreSQL in \(folder) did not stop")
        }
        try FileManager.default.removeItem(atPath: folder)
        PostgresTestClusterRegistry.unregister(root: folder)
    }

    private init(cluster: LocalPostgresCluster, rootDirectory: String) {
        self.cluster = cluster
        self.rootDirectory = rootDirectory
    }

    /// conninfo for `database` on this cluster.
    public func conninfo(database: String = "postgres") -> String {
        cluster.conninfo(database: database)
    }

    /// A new database copied from the migrated template, for one test.
    public func makeFreshDatabase() throws -> PostgresTestDatabase {
        lock.lock()
        defer { lock.unlock() }
        databaseCount += 1
        let name = "test_\(databaseCount)"
        try withAdminConnection { connection in
            // FILE_COPY (PostgreSQL 15+) copies the files instead of WAL-logging every page.
            let strategy: PostgresQuery = connection.serverVersion >= 150_000 ? " STRATEGY FILE_COPY" : ""
            try connection.query(
                "CREATE DATABASE \(identifier: name) TEMPLATE \(identifier: Self.templateName)\(strategy)")
        }
        return PostgresTestDatabase(name: name, conninfo: conninfo(database: name))
    }

    /// A new empty database (from `template0`, no migrations), for tests of the migration runner.
    public func makeEmptyDatabase() throws -> PostgresTestDatabase {
        lock.lock()
        defer { lock.unlock() }
        databaseCount += 1
        let name = "empty_\(databaseCount)"
        try withAdminConnection { connection in
            try connection.query("CREATE DATABASE \(identifier: name) TEMPLATE template0")
        }
        return PostgresTestDatabase(name: name, conninfo: conninfo(database: name))
    }

    /// `pg_ctl restart`: cuts every session, as a real server restart does.
    public func restart() throws {
        lock.lock()
        defer { lock.unlock() }
        adminConnection = nil
        try cluster.restart()
    }

    /// Stops the server and deletes the folder now instead of at exit.
    public func shutdown() throws {
        lock.lock()
        adminConnection = nil
        lock.unlock()
        try cluster.stop()
        try FileManager.default.removeItem(atPath: rootDirectory)
        PostgresTestClusterRegistry.unregister(root: rootDirectory)
    }

    /// Creates the template database and applies the migrations to it. Its connection is closed
    /// afterwards: a template with a session open cannot be copied.
    private func createTemplate(migrationsDirectory: String?) throws {
        try withAdminConnection { connection in
            try connection.query("CREATE DATABASE \(identifier: Self.templateName)")
        }
        guard let migrationsDirectory else { return }
        let runner = try MigrationRunner(directory: migrationsDirectory)
        let connection = try PostgresConnection(conninfo: conninfo(database: Self.templateName))
        defer { connection.close() }
        try runner.migrate(on: connection)
    }

    /// Runs `body` on the long-lived connection to the `postgres` database, reconnecting after a
    /// restart.
    @discardableResult
    private func withAdminConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        if adminConnection?.isReusable != true {
            adminConnection = try PostgresConnection(conninfo: conninfo(database: "postgres"))
        }
        // Just assigned above when it was missing or broken.
        return try body(adminConnection!)
    }
}
