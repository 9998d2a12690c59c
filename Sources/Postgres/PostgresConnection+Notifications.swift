import CLibPQ
import Foundation

/// A `NOTIFY` received on a listening connection.
public struct PostgresNotification: Sendable, Hashable {
    public let channel: String
    public let payload: String
    /// The server process that sent it (`pg_backend_pid()` of the notifier).
    public let senderPID: Int32
}

/// LISTEN/NOTIFY (SPEC §7: live events fanned out across processes). Listen on a dedicated
/// connection, not a pooled one: the pool replaces idle connections with unread input.
extension PostgresConnection {
    /// `LISTEN channel`.
    public func listen(_ channel: String) throws {
        try query("LISTEN \(identifier: channel)")
    }

    /// `UNLISTEN channel`.
    public func unlisten(_ channel: String) throws {
        try query("UNLISTEN \(identifier: channel)")
    }

    /// Sends `payload` to the listeners of `channel` (delivered when the transaction commits).
    public func notify(_ channel: String, payload: String = "") throws {
        try query("SELECT pg_notify(\(channel), \(payload))")
    }

    /// Notifications that arrived, waiting up to `timeout` for the first; empty on timeout.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        let handle = try openHandle()
        var received = drainNotifications(handle)
        guard received.isEmpty else { return received }
        let deadline = ContinuousClock.now + timeout
        while received.isEmpty {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { break }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: max(1, remaining.wholeMilliseconds)))
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else {
                throw PostgresError(
                    .connectionLost, message: "poll failed: \(String(cString: strerror(errno)))")
            }
            guard ready > 0 else { break }
            guard PQconsumeInput(handle) == 1 else {
                throw PostgresError(
                    isConnected ? .protocolViolation : .connectionLost, message: Self.errorMessage(handle))
            }
            received = drainNotifications(handle)
        }
        return received
    }

    /// Notifications libpq has already read.
    private func drainNotifications(_ handle: OpaquePointer) -> [PostgresNotification] {
        var notifications: [PostgresNotification] = []
        while let notify = PQnotifies(handle) {
            notifications.append(
                PostgresNotification(
                    channel: String(cString: notify.pointee.relname),
                    payload: String(cString: notify.pointee.extra),
                    senderPID: notify.pointee.be_pid))
            PQfreemem(notify)
        }
        return notifications
    }
}
