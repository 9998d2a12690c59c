import Foundation
import Log
import Postgres
import Threads

/// A connection of its own that `LISTEN`s on some channels, on a thread of its own: the
/// scaffolding of the jobs that follow changes made by any process (the credential cache,
/// the read-only switch). A session connects, `LISTEN`s, runs `started` (to read what it may
/// have missed), then hands every batch of notifications to `heard` and runs `check` every
/// `checkInterval` — a listening connection that died without a word (a network partition)
/// would otherwise hear nothing forever. After a failure, `ended` runs and the next session
/// starts ``retryDelay`` later.
final class NotificationListener: @unchecked Sendable {
    /// Longest single wait for notifications: bounds how long ``stop()`` takes.
    static let waitSlice: Duration = .milliseconds(200)
    /// Pause before connecting again after a failure.
    static let retryDelay: TimeInterval = 1

    /// What a listener does with its connection.
    struct Handlers {
        var started: (PostgresConnection) throws -> Void = { _ in }
        var heard: ([PostgresNotification], PostgresConnection) throws -> Void = { _, _ in }
        var check: (PostgresConnection) throws -> Void = { _ = try $0.query("SELECT 1") }
        var ended: () -> Void = {}
    }

    private let name: String
    private let conninfo: String
    private let options: PostgresConnection.Options
    private let channels: [String]
    private let checkInterval: Duration
    private let handlers: Handlers
    private let logger: Logger
    private let thread: RepeatingThread

    init(
        name: String, conninfo: String, options: PostgresConnection.Options, channels: [String],
        checkInterval: Duration, logger: Logger, handlers: Handlers
    ) {
        self.name = name
        self.conninfo = conninfo
        self.options = options
        self.channels = channels
        self.checkInterval = checkInterval
        self.logger = logger
        self.handlers = handlers
        thread = RepeatingThread(name: name, pause: Self.retryDelay)
    }

    /// Starts listening; a second call does nothing.
    func start() {
        thread.start { [self] in
            do {
                try session()
            } catch {
                logger.warning("\(name)_disconnected", ["error": .string("\(error)")])
            }
            handlers.ended()
        }
    }

    /// Stops listening (within ``waitSlice``).
    func stop() { thread.stop() }

    private func session() throws {
        let connection = try PostgresConnection(conninfo: conninfo, options: options)
        defer { connection.close() }
        for channel in channels { try connection.listen(channel) }
        try handlers.started(connection)
        logger.info("\(name)_listening", [:])
        var nextCheck = ContinuousClock.now + checkInterval
        while !thread.isStopping {
            let heard = try connection.waitForNotifications(timeout: Self.waitSlice)
            if !heard.isEmpty { try handlers.heard(heard, connection) }
            if ContinuousClock.now >= nextCheck {
                try handlers.check(connection)
                nextCheck = ContinuousClock.now + checkInterval
            }
        }
    }
}
