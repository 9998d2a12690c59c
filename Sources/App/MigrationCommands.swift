import Foundation
import Log
import Postgres

/// `incidentd migrate` and `incidentd migrate status`.
public struct MigrationCommands {
    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Applies pending migrations, printing each.
    public func apply() throws {
        try withRunner { runner, connection in
            let applied = try runner.migrate(on: connection) { progress in
                switch progress {
                case .applying(let migration): print("applying \(migration.name) ...", terminator: "")
                case .applied(_, let milliseconds): print(" done (\(milliseconds) ms)")
                }
                fflush(nil)
            }
            print(
                applied.isEmpty
                    ? "nothing to apply: the database is current" : "applied \(applied.count) migration(s)")
        }
    }

    /// Lists applied and pending migrations.
    public func status() throws {
        try withRunner { runner, connection in
            let status = try runner.status(on: connection)
            for applied in status.applied {
                print("applied  \(applied.name)  \(applied.appliedAt)")
            }
            for migration in status.changed {
                print("CHANGED  \(migration.name)  (edited after it was applied: refused)")
            }
            for migration in status.pending { print("pending  \(migration.name)") }
            print("\(status.applied.count) applied, \(status.pending.count) pending")
        }
    }

    private func withRunner(_ body: (MigrationRunner, PostgresConnection) throws -> Void) throws {
        let logger = Logger(minimumLevel: .warning)
        let database = try DatabaseProvisioner(configuration: configuration, logger: logger)
        defer {
            do { try database.close() } catch {
                logger.error("postgres_stop_failed", ["error": .string("\(error)")])
            }
        }
        let runner = try MigrationRunner(
            directory: MigrationsLocator.directory(configured: configuration.migrationsDirectory))
        let connection = try PostgresConnection(conninfo: database.conninfo)
        defer { connection.close() }
        try body(runner, connection)
    }

    static func log(_ progress: MigrationProgress, logger: Logger) {
        switch progress {
        case .applying(let migration):
            logger.info("migration_applying", ["file": .string(migration.name)])
        case .applied(let migration, let milliseconds):
            logger.info(
                "migration_applied", ["file": .string(migration.name), "milliseconds": .int(milliseconds)])
        }
    }
}
