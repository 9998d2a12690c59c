import Foundation
import Log

/// A private PostgreSQL cluster in a data folder, listening only on a Unix socket: the
/// embedded default of `incidentd serve` and the throwaway database of the tests (issue 3).
///
/// Authentication is `trust` on the socket and nothing listens on TCP; the socket lives in the
/// data folder (mode 0700), so only its owner (and root) can connect. As root, the cluster runs
/// as the `postgres` system user, which owns the data folder.
public struct LocalPostgresCluster: Sendable {
    /// Where the cluster lives and how it runs.
    public struct Configuration: Sendable {
        /// The data folder (`PGDATA`); made absolute.
        public var dataDirectory: String
        /// Where the socket goes; nil for the data folder itself.
        public var socketDirectory: String?
        /// The superuser created by initdb and used in `conninfo`.
        public var superuser: String
        /// Only names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP.
        public var port: Int
        /// false turns off fsync, full_page_writes and synchronous_commit: fast, and a crash may
        /// lose or corrupt data. For throwaway test clusters only, never for real data.
        public var durable: Bool
        /// Further `postgresql.conf` settings (`max_connections`: "200").
        public var settings: [String: String]
        /// Server programs; nil to locate them (`PostgresBinaries.locate()`).
        public var binDirectory: String?
        /// How long `start` waits for the server to accept connections.
        public var startTimeout: Duration

        public init(
            dataDirectory: String, socketDirectory: String? = nil, superuser: String = "postgres",
            port: Int = 5432,
            durable: Bool = true, settings: [String: String] = [:], binDirectory: String? = nil,
            startTimeout: Duration = .seconds(60)
        ) {
            self.dataDirectory = dataDirectory
            self.socketDirectory = socketDirectory
            self.superuser = superuser
            self.port = port
            self.durable = durable
            self.settings = settings
            self.binDirectory = binDirectory
            self.startTimeout = startTimeout
        }
    }

    /// Unix socket paths are limited to 107 bytes (`sockaddr_un.sun_path` on Linux).
    public static let maxSocketPathBytes = 107
    /// The user the cluster runs as when we are root (the Debian package creates it).
    public static let systemUser = "postgres"

    public let configuration: Configuration
    public let binaries: PostgresBinaries
    /// Absolute data folder.
    public let dataDirectory: String
    /// Absolute socket folder.
    public let socketDirectory: String
    let logger: Logger
    let runner: CommandRunner

    /// Resolves paths and locates the server programs; touches nothing on disk.
    public init(configuration: Configuration, logger: Logger = Logger()) throws {
        self.configuration = configuration
        self.logger = logger
        binaries =
            try configuration.binDirectory.map(PostgresBinaries.init(directory:)) ?? PostgresBinaries.locate()
        dataDirectory = Self.absolute(configuration.dataDirectory)
        socketDirectory = Self.absolute(configuration.socketDirectory ?? configuration.dataDirectory)
        runner = CommandRunner(user: geteuid() == 0 ? Self.systemUser : nil)
        if let user = runner.user, Self.account(user) == nil {
            throw ClusterError(
                "running as root, PostgreSQL must run as the unprivileged user \(user), which does not exist"
                    + " (apt-get install postgresql creates it); or run incidentd as an ordinary user")
        }
        let socketPath = "\(socketDirectory)/.s.PGSQL.\(configuration.port)"
        guard socketPath.utf8.count <= Self.maxSocketPathBytes else {
            throw ClusterError(
                "the socket path \(socketPath) is longer than \(Self.maxSocketPathBytes) bytes;"
                    + " choose a shorter data folder or a separate, shorter socket folder")
        }
    }

    /// The libpq conninfo for `database` on this cluster's socket.
    public func conninfo(database: String = "postgres") -> String {
        "host=\(Self.quoted(socketDirectory)) port=\(configuration.port) user=\(Self.quoted(configuration.superuser))"
            + " dbname=\(Self.quoted(database))"
    }

    /// Whether a data folder with a cluster exists (`PG_VERSION` is there).
    public var isInitialized: Bool {
        FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION")
    }

    /// Creates the cluster with `initdb` unless the data folder already holds one; returns
    /// whether it created one.
    @discardableResult
    public func initIfNeeded() throws -> Bool {
        if isInitialized {
            try ensureOwnership()
            return false
        }
        try prepareEmptyDataDirectory()
        logger.info(
            "postgres_initdb",
            ["data_directory": .string(dataDirectory), "message": "initialising PostgreSQL cluster"])
        let clock = ContinuousClock()
        let start = clock.now
        var arguments = [
            "-D", dataDirectory, "-U", configuration.superuser, "--auth-local=trust", "--auth-host=reject",
            "--encoding=UTF8", "--locale=C",
        ]
        if !configuration.durable { arguments.append("--no-sync") }
        do {
            try runner.runChecked(binaries.initdb, arguments, what: "initdb")
        } catch let error as ClusterError {
            throw ClusterError(
                "\(error)"
                    + (runner.user.map {
                        " (running as root, the cluster runs as user \($0), who must be able"
                            + " to reach \(dataDirectory): every parent folder needs o+x)"
                    } ?? ""))
        }
        logger.info("postgres_initdb_done", ["milliseconds": .int(Int((clock.now - start).milliseconds))])
        return true
    }

    /// Starts the server and waits until it accepts connections. A server already running on
    /// this data folder (left by a process that crashed) is adopted.
    public func start() throws {
        guard isInitialized else {
            throw ClusterError("no PostgreSQL cluster in \(dataDirectory); call initIfNeeded first")
        }
        try ensureOwnership()
        try writeSettings()
        if let pid = runningPostmasterPID() {
            logger.info(
                "postgres_already_running", ["pid": .int(Int(pid)), "data_directory": .string(dataDirectory)])
            return
        }
        try removeStaleLockFiles()
        logger.info(
            "postgres_starting",
            ["data_directory": .string(dataDirectory), "socket_directory": .string(socketDirectory)])
        let clock = ContinuousClock()
        let started = clock.now
        let timeout = String(max(1, configuration.startTimeout.components.seconds))
        do {
            try runner.runChecked(
                binaries.pgCtl, ["-D", dataDirectory, "-l", logFile, "-w", "-t", timeout, "start"],
                what: "pg_ctl start")
        } catch let error as ClusterError {
            throw ClusterError("\(error)\nlast lines of \(logFile):\n\(logTail())")
        }
        logger.info("postgres_ready", ["milliseconds": .int(Int((clock.now - started).milliseconds))])
    }

    /// Stops the server (`pg_ctl stop -m fast`: sessions are ended, then a clean shutdown).
    public func stop() throws {
        guard runningPostmasterPID() != nil else { return }
        logger.info("postgres_stopping", ["data_directory": .string(dataDirectory)])
        try runner.runChecked(
            binaries.pgCtl, ["-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "stop"], what: "pg_ctl stop"
        )
        logger.info("postgres_stopped", [:])
    }

    /// Restarts the server (`pg_ctl restart -m fast`); every open session is cut.
    public func restart() throws {
        logger.info("postgres_restarting", ["data_directory": .string(dataDirectory)])
        try runner.runChecked(
            binaries.pgCtl, ["-D", dataDirectory, "-l", logFile, "-m", "fast", "-w", "-t", "60", "restart"],
            what: "pg_ctl restart")
    }

    /// Whether the server of this data folder is running.
    public var isRunning: Bool { runningPostmasterPID() != nil }

    /// The server log (`pg_ctl -l`).
    public var logFile: String { dataDirectory + "/server.log" }

    static func absolute(_ path: String) -> String {
        let url =
            path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        return url.standardizedFileURL.path
    }

    /// A conninfo value in single quotes, with `\` and `'` escaped (libpq's rules).
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            + "'"
    }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
