import Foundation
import Outbound

#if canImport(Glibc)
    import Glibc
#endif

/// Idle connections kept for the next request to the same destination (keep-alive,
/// ``HTTPClientConfiguration/keepAlive``). A connection is keyed by scheme, host name (not
/// address: TLS verified it for that name) and port; it was checked by the SSRF guard when it
/// was opened. One that has sat idle longer than the idle timeout, or that the server has
/// closed or written to meanwhile, is closed instead of being used.
final class HTTPConnectionPool: @unchecked Sendable {
    struct Key: Hashable {
        let isTLS: Bool
        let host: String
        let port: Int
    }

    private struct Idle {
        let connection: OutboundConnection
        let since: ContinuousClock.Instant
    }

    let maxIdlePerDestination: Int
    let idleTimeout: Duration
    private let lock = NSLock()
    private var idle: [Key: [Idle]] = [:]

    init(maxIdlePerDestination: Int, idleTimeout: Duration) {
        self.maxIdlePerDestination = maxIdlePerDestination
        self.idleTimeout = idleTimeout
    }

    /// The most recently used idle connection to `key` that still looks usable, if any.
    func take(_ key: Key) -> OutboundConnection? {
        let now = ContinuousClock.now
        while true {
            lock.lock()
            let candidate = idle[key]?.popLast()
            lock.unlock()
            guard let candidate else { return nil }
            if now - candidate.since < idleTimeout && Self.looksIdle(candidate.connection) {
                return candidate.connection
            }
            candidate.connection.close()
        }
    }

    /// Keeps `connection` for the next request to `key`, or closes it when enough are kept.
    func put(_ connection: OutboundConnection, for key: Key) {
        lock.lock()
        var list = idle[key] ?? []
        let now = ContinuousClock.now
        // Drop the ones that timed out while here, so a quiet destination holds nothing open.
        let expired = list.filter { now - $0.since >= idleTimeout }
        list.removeAll { now - $0.since >= idleTimeout }
        var rejected: OutboundConnection?
        if list.count < maxIdlePerDestination {
            list.append(Idle(connection: connection, since: now))
        } else {
            rejected = connection
        }
        idle[key] = list
        lock.unlock()
        for old in expired { old.connection.close() }
        rejected?.close()
    }

    /// Closes every idle connection.
    func closeAll() {
        lock.lock()
        let all = idle.values.flatMap { $0 }
        idle = [:]
        lock.unlock()
        for entry in all { entry.connection.close() }
    }

    /// An idle connection has nothing to read: a readable one was closed by the server (or it
    /// sent something unasked), and either way is not used again.
    static func looksIdle(_ connection: OutboundConnection) -> Bool {
        var descriptor = pollfd(fd: connection.socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }
}
