import Foundation
import Log
import Postgres
import PostgresCluster

/// The database a process uses: `DATABASE_URL` when set, else the embedded cluster under the
/// data folder, initialised on first use and started for as long as this process needs it.
public final class DatabaseProvisioner: Sendable {
    /// The database incidentd creates in its embedded cluster.
    public static let embeddedDatabaseName = "incidentd"

    public let conninfo: String
    /// The embedded cluster when we started it ourselves (and so must stop it).
    private let startedCluster: LocalPostgresCluster?
    /// Whether this run created the embedded cluster (first start: print the first admin key).
    public let createdCluster: Bool
    public let isEmbedded: Bool

    /// Opens the database named by `configuration`, starting the embedded one if needed.
    ///
    /// `owner` (serve) adopts an embedded server already running on the data folder (left by
    /// a crashed run) and stops it on close; a helper command (`keys`, `migrate`) next to a
    /// running `serve` leaves it running.
    public init(configuration: Configuration, logger: Logger, owner: Bool = false) throws {
        if let url = configuration.databaseURL {
            conninfo = url
            startedCluster = nil
            createdCluster = false
            isEmbedded = false
            return
        }
        if let problem = configuration.legacyDataDirectoryProblem(
            currentDirectory: FileManager.default.currentDirectoryPath)
        {
            throw ConfigurationError(problem)
        }
        let dataDirectory = configuration.effectiveDataDirectory
        let cluster = try LocalPostgresCluster(
            configuration: .init(dataDirectory: dataDirectory + "/postgres"), logger: logger)
        createdCluster = try cluster.initIfNeeded()
        isEmbedded = true
        // Said at every start: which database this is (a new one, or the one from last time).
        logger.info(
            "embedded_database",
            ["data_directory": .string(dataDirectory), "created": .bool(createdCluster)])
        if cluster.isRunning && !owner {
            // `serve` already runs it (for example `incidentd keys create` next to a server).
            startedCluster = nil
        } else {
            try cluster.start()
            startedCluster = cluster
        }
        do {
            try Self.createDatabaseIfMissing(cluster: cluster)
        } catch {
            // Leave nothing running behind a failed start; the first error is the one to report.
            if let startedCluster {
                do { try startedCluster.stop() } catch {
                    logger.error("postgres_stop_failed", ["error": .string("\(error)")])
                }
            }
            throw error
        }
        conninfo = cluster.conninfo(database: Self.embeddedDatabaseName)
    }

    /// Stops the embedded cluster if this process started it.
    public func close() throws {
        try startedCluster?.stop()
    }

    private static func createDatabaseIfMissing(cluster: LocalPostgresCluster) throws {
        let connection = try PostgresConnection(conninfo: cluster.conninfo(database: "postgres"))
        defer { connection.close() }
        _ = try connection.createDatabaseIfMissing(embeddedDatabaseName)
    }
}
