import Foundation
import Log

/// A bounded pool of connections, shared by the worker threads.
///
/// Connections open lazily up to `maxConnections`. A borrower waits at most `acquireTimeout`,
/// then gets `.poolTimeout` (the API answers 503 with `Retry-After`). Connections that broke
/// (server restart, killed backend) are closed and replaced on the next request, so the pool
/// recovers by itself once the server is back; while it is down, requests fail fast with
/// `.connectFailed`.
public final class PostgresPool: @unchecked Sendable {
    /// Pool size, timeouts and the options of each connection.
    public struct Configuration: Sendable {
        /// URL or conninfo string of the database.
        public var conninfo: String
        public var maxConnections: Int
        /// How long a borrower waits for a free connection before `.poolTimeout`.
        public var acquireTimeout: Duration
        /// How often `withTransaction` runs its body when it meets 40001 or 40P01.
        public var maxTransactionAttempts: Int
        public var connection: PostgresConnection.Options

        public init(
            conninfo: String, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(5),
            maxTransactionAttempts: Int = 3, connection: PostgresConnection.Options = .init()
        ) {
            self.conninfo = conninfo
            self.maxConnections = max(1, maxConnections)
            self.acquireTimeout = acquireTimeout
            self.maxTransactionAttempts = max(1, maxTransactionAttempts)
            self.connection = connection
        }
    }

    /// Counters for `/metrics`.
    public struct Stats: Sendable, Equatable {
        /// Connections open or being opened.
        public var size: Int
        public var inUse: Int
        public var idle: Int
        /// Borrowers waiting right now.
        public var waiting: Int
        public var maxConnections: Int
        /// Acquisitions that had to wait, since start.
        public var waitCount: Int
        /// Acquisitions that gave up with `.poolTimeout`, since start.
        public var timeouts: Int
        /// Connections closed because they broke, since start.
        public var brokenConnections: Int
        /// Failed attempts to open a connection, since start.
        public var connectFailures: Int
    }

    public let configuration: Configuration
    let logger: Logger
    /// Guards everything below; borrowers wait on it for a free connection.
    private let condition = NSCondition()
    private var idleConnections: [PostgresConnection] = []
    private var counters: Stats
    private var isClosed = false

    public init(configuration: Configuration, logger: Logger = .disabled) {
        self.configuration = configuration
        self.logger = logger
        counters = Stats(
            size: 0, inUse: 0, idle: 0, waiting: 0, maxConnections: configuration.maxConnections,
            waitCount: 0,
            timeouts: 0, brokenConnections: 0, connectFailures: 0)
    }

    deinit { close() }

    /// A snapshot of the counters.
    public var stats: Stats {
        condition.lock()
        defer { condition.unlock() }
        var snapshot = counters
        snapshot.idle = idleConnections.count
        return snapshot
    }

    /// Lends a connection to `body` and takes it back afterwards (closing it if it broke).
    @discardableResult
    public func withConnection<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        let connection = try acquire()
        defer { release(connection) }
        return try body(connection)
    }

    /// Closes idle connections and refuses new borrowers; lent connections close when returned.
    public func close() {
        condition.lock()
        isClosed = true
        let connections = idleConnections
        idleConnections.removeAll()
        counters.size -= connections.count
        condition.broadcast()
        condition.unlock()
        connections.forEach { $0.close() }
    }

    /// Runs `SELECT 1` on a pooled connection and returns how long the round trip took, for
    /// `/api/health/db`.
    public func ping() throws -> Duration {
        try withConnection { connection in
            let clock = ContinuousClock()
            let start = clock.now
            try connection.query("SELECT 1")
            return clock.now - start
        }
    }

    /// Takes an idle healthy connection, opens a new one if below the limit, or waits: at most
    /// `acquireTimeout` (`.poolTimeout`), and never past the deadline in force
    /// (``PostgresDeadline``, `.deadlineExceeded`).
    private func acquire() throws -> PostgresConnection {
        let acquireDeadline = Date().addingTimeInterval(configuration.acquireTimeout.timeInterval)
        let requestDeadline = PostgresDeadline.current.map {
            Date().addingTimeInterval(($0 - ContinuousClock.now).timeInterval)
        }
        let deadline = requestDeadline.map { min($0, acquireDeadline) } ?? acquireDeadline
        if let requestDeadline, requestDeadline <= Date() {
            throw PostgresError(
                .deadlineExceeded, message: "the deadline passed before a connection was asked for")
        }
        var counted = false
        condition.lock()
        while true {
            if isClosed {
                condition.unlock()
                throw PostgresError(.poolClosed, message: "the connection pool is closed")
            }
            if let connection = idleConnections.popLast() {
                counters.inUse += 1
                condition.unlock()
                if connection.isIdleAndHealthy { return connection }
                discard(connection, reason: "broken while idle")
                condition.lock()
                continue
            }
            if counters.size < configuration.maxConnections {
                counters.size += 1
                counters.inUse += 1
                condition.unlock()
                return try open()
            }
            if !counted {
                counters.waitCount += 1
                counted = true
            }
            guard Date() < deadline else {
                counters.timeouts += 1
                condition.unlock()
                if let requestDeadline, requestDeadline < acquireDeadline {
                    throw PostgresError(
                        .deadlineExceeded, message: "no database connection became free before the deadline")
                }
                throw PostgresError(
                    .poolTimeout,
                    message: "no database connection free within \(configuration.acquireTimeout)"
                        + " (pool size \(configuration.maxConnections))")
            }
            counters.waiting += 1
            _ = condition.wait(until: deadline)
            counters.waiting -= 1
        }
    }

    /// Opens a connection for a slot already counted in `size` and `inUse`.
    private func open() throws -> PostgresConnection {
        do {
            return try PostgresConnection(conninfo: configuration.conninfo, options: configuration.connection)
        } catch {
            condition.lock()
            counters.size -= 1
            counters.inUse -= 1
            counters.connectFailures += 1
            condition.signal()
            condition.unlock()
            logger.warning("postgres_connect_failed", ["error": .string("\(error)")])
            throw error
        }
    }

    /// Returns a connection: idle again if reusable, else closed so a new one replaces it.
    private func release(_ connection: PostgresConnection) {
        if connection.isConnected && !connection.isPoisoned && connection.transactionStatus != .idle {
            // withConnection's body left a transaction open: never lend it out like that.
            connection.rollBackAfterFailure()
        }
        guard connection.isReusable else {
            discard(
                connection, reason: connection.isConnected ? "left in an unknown state" : "connection lost")
            return
        }
        condition.lock()
        counters.inUse -= 1
        if isClosed {
            counters.size -= 1
            condition.unlock()
            connection.close()
            return
        }
        idleConnections.append(connection)
        condition.signal()
        condition.unlock()
    }

    /// Closes a lent connection and frees its slot.
    private func discard(_ connection: PostgresConnection, reason: String) {
        connection.close()
        condition.lock()
        counters.size -= 1
        counters.inUse -= 1
        counters.brokenConnections += 1
        condition.signal()
        condition.unlock()
        logger.warning("postgres_connection_replaced", ["reason": .string(reason)])
    }
}

extension Duration {
    /// The duration in seconds, for Foundation's `Date` arithmetic.
    var timeInterval: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
