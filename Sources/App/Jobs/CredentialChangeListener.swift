import API
import Foundation
import Log
import Postgres
import Threads

/// Keeps a ``CredentialCache`` honest: one connection of its own `LISTEN`s on
/// `incidentd_credentials` (notified by migration 0006's triggers at the commit of any change
/// that could make a key stop working, from any process), and every notification drops the
/// cache. While the connection is down the cache trusts nothing, so every request goes to the
/// database as it did before the cache existed (ADR 0003).
///
/// A listening connection that died without a word (a network partition) would leave the cache
/// trusted with nothing arriving, so the connection is also checked with a `SELECT 1` every
/// ``checkInterval``.
public final class CredentialChangeListener: @unchecked Sendable {
    public static let channel = "incidentd_credentials"
    /// How often the listening connection is checked to be alive.
    public static let checkInterval: Duration = .seconds(5)
    /// Longest single wait for notifications: bounds how long ``stop()`` takes.
    static let waitSlice: Duration = .milliseconds(200)
    /// Pause before connecting again after a failure.
    public static let retryDelay: TimeInterval = 1

    private let conninfo: String
    private let options: PostgresConnection.Options
    private let cache: CredentialCache
    private let logger: Logger
    /// Runs a session, then (after a failure) the pause before the next one.
    private let thread = RepeatingThread(
        name: "credential-listener", pause: CredentialChangeListener.retryDelay)

    public init(
        conninfo: String, options: PostgresConnection.Options = .init(), cache: CredentialCache,
        logger: Logger = .disabled
    ) {
        self.conninfo = conninfo
        self.options = options
        self.cache = cache
        self.logger = logger
    }

    /// Starts listening on a thread of its own; a second call does nothing.
    public func start() {
        thread.start { [self] in
            do {
                try listen()
            } catch {
                logger.warning("credential_listener_disconnected", ["error": .string("\(error)")])
            }
            // Whatever ended the session, notifications may have been missed.
            cache.setListening(false)
        }
    }

    /// Stops listening (within ``waitSlice``) and leaves the cache untrusted.
    public func stop() { thread.stop() }

    /// One session: connect, LISTEN, then trust the cache until the connection fails.
    private func listen() throws {
        let connection = try PostgresConnection(conninfo: conninfo, options: options)
        defer { connection.close() }
        try connection.listen(Self.channel)
        // Entries from before this session may predate a change it did not hear: start empty.
        cache.setListening(true)
        logger.info("credential_listener_listening", [:])
        var nextCheck = ContinuousClock.now + Self.checkInterval
        while !thread.isStopping {
            if try !connection.waitForNotifications(timeout: Self.waitSlice).isEmpty {
                cache.invalidateAll()
            }
            if ContinuousClock.now >= nextCheck {
                _ = try connection.query("SELECT 1")
                nextCheck = ContinuousClock.now + Self.checkInterval
            }
        }
    }
}
