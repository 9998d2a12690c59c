import API
import Foundation
import Log
import Postgres
import Repositories

/// Keeps this process's ``ReadOnlySwitch`` on the stored switch (SPEC §12: every process
/// follows within 1 s): it re-reads the row when `incidentd_read_only` is notified (migration
/// 0011, at the commit of any change from any process) and every ``checkInterval`` in case a
/// notification was missed.
public final class ReadOnlyFollower: Sendable {
    public static let checkInterval: Duration = .seconds(1)

    private let listener: NotificationListener

    public init(
        conninfo: String, options: PostgresConnection.Options = .init(), readOnly: ReadOnlySwitch,
        logger: Logger = .disabled
    ) {
        var handlers = NotificationListener.Handlers()
        let read: (PostgresConnection) throws -> Void = { connection in
            readOnly.update(try ReadOnlyModeRepository(connection).current())
        }
        handlers.started = read
        handlers.heard = { _, connection in try read(connection) }
        handlers.check = read
        listener = NotificationListener(
            name: "read_only_follower", conninfo: conninfo, options: options,
            channels: [ReadOnlyModeRepository.channel], checkInterval: Self.checkInterval, logger: logger,
            handlers: handlers)
    }

    public func start() { listener.start() }

    public func stop() { listener.stop() }
}
