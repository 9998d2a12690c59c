import API
import Foundation
import Log
import Postgres

/// Keeps a ``CredentialCache`` honest: it `LISTEN`s on `incidentd_credentials` (notified by
/// migration 0006's triggers at the commit of any change that could make a key stop working,
/// from any process), and every notification drops the cache. While the connection is down the
/// cache trusts nothing, so every request goes to the database as it did before the cache
/// existed (ADR 0003). The connection is checked with a `SELECT 1` every ``checkInterval``.
public final class CredentialChangeListener: Sendable {
    public static let channel = "incidentd_credentials"
    /// How often the listening connection is checked to be alive.
    public static let checkInterval: Duration = .seconds(5)

    private let listener: NotificationListener

    public init(
        conninfo: String, options: PostgresConnection.Options = .init(), cache: CredentialCache,
        logger: Logger = .disabled
    ) {
        var handlers = NotificationListener.Handlers()
        // Entries from before this session may predate a change it did not hear: start empty.
        handlers.started = { _ in cache.setListening(true) }
        handlers.heard = { _, _ in cache.invalidateAll() }
        // Whatever ended the session, notifications may have been missed.
        handlers.ended = { cache.setListening(false) }
        listener = NotificationListener(
            name: "credential_listener", conninfo: conninfo, options: options, channels: [Self.channel],
            checkInterval: Self.checkInterval, logger: logger, handlers: handlers)
    }

    /// Starts listening on a thread of its own; a second call does nothing.
    public func start() { listener.start() }

    /// Stops listening and leaves the cache untrusted.
    public func stop() { listener.stop() }
}
