import Foundation
import Log
import Postgres

/// One connection for a CLI command (`keys`, `read-only`) to the database `serve` uses,
/// embedded included, migrated first: a fresh install may run a command before `serve` ever
/// migrated the database.
struct DatabaseCommand {
    let configuration: Configuration

    func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let logger = Logger(minimumLevel: .warning)
        let database = try DatabaseProvisioner(configuration: configuration, logger: logger)
        defer {
            do { try database.close() } catch {
                logger.error("postgres_stop_failed", ["error": .string("\(error)")])
            }
        }
        let connection = try PostgresConnection(conninfo: database.conninfo)
        defer { connection.close() }
        let runner = try MigrationRunner(
            directory: MigrationsLocator.directory(configured: configuration.migrationsDirectory))
        try runner.migrate(on: connection) { MigrationCommands.log($0, logger: logger) }
        return try body(connection)
    }
}
