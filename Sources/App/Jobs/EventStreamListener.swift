import API
import Foundation
import Log
import Postgres

/// Feeds this process's ``EventStreamHub`` (SPEC §8): it `LISTEN`s on `incidentd_events`
/// (migration 0017 notifies the largest id of every appending statement, at commit, from any
/// process) and reads the log when told. A notified event is read once it is final (every
/// older transaction ended, ADR 0005): until its id has been read the hub reads again every
/// ``retryInterval``, for up to ``retryFor``; and every ``checkInterval`` anyway, so neither a
/// missed notification nor one that came before its event was final holds an event back.
public final class EventStreamListener: Sendable {
    public static let checkInterval: Duration = .milliseconds(250)
    static let retryInterval: TimeInterval = 0.01
    static let retryFor: Duration = .seconds(1)

    private let listener: NotificationListener

    public init(
        conninfo: String, options: PostgresConnection.Options = .init(), hub: EventStreamHub,
        logger: Logger = .disabled
    ) {
        var handlers = NotificationListener.Handlers()
        handlers.started = { connection in try hub.start(using: connection) }
        handlers.heard = { notifications, connection in
            var awaited = Set(notifications.compactMap { Int64($0.payload) })
            let until = ContinuousClock.now + Self.retryFor
            while true {
                awaited.subtract(try hub.advance(using: connection))
                if awaited.isEmpty || ContinuousClock.now >= until { return }
                Thread.sleep(forTimeInterval: Self.retryInterval)
            }
        }
        handlers.check = { connection in try hub.advance(using: connection) }
        listener = NotificationListener(
            name: "event_stream_listener", conninfo: conninfo, options: options,
            channels: [EventStreamHub.channel], checkInterval: Self.checkInterval, logger: logger,
            handlers: handlers)
    }

    /// Starts listening on a thread of its own; a second call does nothing.
    public func start() { listener.start() }

    public func stop() { listener.stop() }
}
