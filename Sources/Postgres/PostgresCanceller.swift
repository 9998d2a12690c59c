import CLibPQ
import Foundation

/// Sends cancel requests (`PQcancel`) for statements abandoned at their deadline, on a thread
/// of its own.
///
/// libpq 15 has no non-blocking cancel (`PQcancelStart` came in 17), and `PQcancel` connects to
/// the server and waits for it to close: on a hung server it would hang the worker that gave
/// up precisely so as not to hang. So the worker drops its connection at once and hands the
/// cancel here; it frees the backend (and its locks) as soon as the server can hear it. Best
/// effort: while one cancel hangs, at most `maxQueued` wait, later ones are dropped (the
/// server also ends a backend whose client is gone once it next writes to it).
final class PostgresCanceller: @unchecked Sendable {
    static let shared = PostgresCanceller()
    static let maxQueued = 64

    /// A `PGcancel`, which is independent of its connection (usable after `PQfinish`).
    private struct Request: @unchecked Sendable {
        let cancel: OpaquePointer
    }

    private let condition = NSCondition()
    private var queue: [Request] = []
    private var started = false

    /// Queues a cancel of the statement running on `handle`'s backend; call before `PQfinish`.
    func cancel(runningOn handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        condition.lock()
        defer { condition.unlock() }
        guard queue.count < Self.maxQueued else {
            PQfreeCancel(cancel)
            return
        }
        queue.append(Request(cancel: cancel))
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "postgres-canceller"
            thread.start()
        }
        condition.signal()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let request = queue.removeFirst()
            condition.unlock()
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(request.cancel, &message, Int32(message.count))
            PQfreeCancel(request.cancel)
        }
    }
}
