import Foundation
import Postgres

/// The test process's shared PostgreSQL: one throwaway cluster, started on first use, and a
/// fresh database per test copied from a template migrated with the repository's `migrations/`.
///
///     let database = try TestDatabase.makeFreshDatabase()
///     let pool = database.makePool()
///
/// Tests that restart or stop PostgreSQL must not do it to this shared cluster (tests run in
/// parallel): they start their own with `PostgresTestCluster.start()`.
public enum TestDatabase {
    /// The repository root, found from this file's path (`Sources/TestSupport/TestDatabase.swift`).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The repository's `migrations/` folder.
    public static let migrationsDirectory: String = repositoryRoot + "/migrations"

    /// The shared cluster, started once (Swift runs a static initialiser exactly once, also
    /// when several test threads ask at the same time). A failure is kept, so every test
    /// reports it rather than the first one only.
    private static let shared: Result<PostgresTestCluster, SetupFailure> = {
        do {
            return .success(try PostgresTestCluster.start())
        } catch {
            return .failure(SetupFailure(description: "test PostgreSQL could not start: \(error)"))
        }
    }()

    /// The shared cluster.
    public static func cluster() throws -> PostgresTestCluster {
        try shared.get()
    }

    /// A new, migrated database for one test.
    public static func makeFreshDatabase() throws -> PostgresTestDatabase {
        try cluster().makeFreshDatabase()
    }

    /// A new empty database (no migrations applied), for migration runner tests.
    public static func makeEmptyDatabase() throws -> PostgresTestDatabase {
        try cluster().makeEmptyDatabase()
    }

    /// Why the shared cluster is unavailable.
    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
    }
}
