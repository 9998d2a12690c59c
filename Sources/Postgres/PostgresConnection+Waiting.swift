import CLibPQ
import Foundation

/// Every wait for the server, in one place: the connection runs in libpq's non-blocking mode,
/// and each wait is a `poll` bounded by the time left before ``PostgresDeadline/current``. A
/// server that hangs without closing its connection (a stopped process, a network partition)
/// therefore costs a request its deadline, never more: at the deadline the statement is
/// cancelled (``PostgresCanceller``), the connection dropped, and `.deadlineExceeded` thrown.
extension PostgresConnection {
    /// Sends what libpq buffered (`PQflush` until it returns 0), reading input meanwhile as the
    /// libpq manual asks, so a server that answers while we send cannot deadlock us.
    func flushOutput(_ handle: OpaquePointer, sql: String?) throws {
        while true {
            let flushed = PQflush(handle)
            if flushed == 0 { return }
            guard flushed > 0 else { throw connectionError(handle, sql: sql) }
            try waitForSocket(handle, events: Int16(POLLIN | POLLOUT), sql: sql)
            guard PQconsumeInput(handle) == 1 else { throw connectionError(handle, sql: sql) }
        }
    }

    /// Reads until libpq holds the next result (or the end of a command's results), so that
    /// `PQgetResult` will not block.
    func awaitResult(_ handle: OpaquePointer, sql: String?) throws {
        while PQisBusy(handle) == 1 {
            try waitForSocket(handle, events: Int16(POLLIN), sql: sql)
            guard PQconsumeInput(handle) == 1 else { throw connectionError(handle, sql: sql) }
        }
    }

    /// The next result of the command in flight, or nil after its last (`PQgetResult`).
    func nextResult(_ handle: OpaquePointer, sql: String?) throws -> OpaquePointer? {
        try awaitResult(handle, sql: sql)
        return PQgetResult(handle)
    }

    /// Finishes a command just sent with a `PQsend…` call (`sent` is what it returned) and
    /// returns its result as `PQexec` would: the first error, else the last result; nil when
    /// libpq produced none (the caller's `check` reads the connection's error then).
    func finishCommand(_ handle: OpaquePointer, sent: Int32, sql: String) throws -> OpaquePointer? {
        guard sent == 1 else { return nil }
        try flushOutput(handle, sql: sql)
        var kept: OpaquePointer?
        do {
            while let result = try nextResult(handle, sql: sql) {
                if let previous = kept {
                    if Self.isError(previous) {
                        PQclear(result)
                        continue
                    }
                    PQclear(previous)
                }
                kept = result
            }
        } catch {
            if let kept { PQclear(kept) }
            throw error
        }
        return kept
    }

    static func isError(_ result: OpaquePointer) -> Bool {
        let status = PQresultStatus(result)
        return status == PGRES_FATAL_ERROR || status == PGRES_BAD_RESPONSE
    }

    /// Waits until the socket is ready for `events`, or throws at the deadline (after giving
    /// up on the connection, see ``abandonAtDeadline(_:sql:)``).
    func waitForSocket(_ handle: OpaquePointer, events: Int16, sql: String?) throws {
        let deadline = PostgresDeadline.current
        guard try Self.pollSocket(PQsocket(handle), events: events, until: deadline) else {
            throw abandonAtDeadline(handle, sql: sql)
        }
    }

    /// `poll` on one descriptor until `deadline` (nil: no limit); false when the deadline came
    /// first. EINTR is retried with the time then left.
    static func pollSocket(_ socket: Int32, events: Int16, until deadline: ContinuousClock.Instant?) throws
        -> Bool
    {
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let left = deadline - ContinuousClock.now
                guard left > .zero else { return false }
                // Rounded up, so a wait never ends just short of the deadline and spins.
                timeout = Int32(clamping: left.wholeMilliseconds + 1)
            }
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let ready = Glibc.poll(&descriptor, 1, timeout)
            if ready > 0 { return true }
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(
                    .connectionLost, message: "poll failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The deadline passed with the server still owing an answer: cancel what it may still be
    /// running, drop the connection (its session is in an unknown state) and say so.
    func abandonAtDeadline(_ handle: OpaquePointer, sql: String?) -> PostgresError {
        PostgresCanceller.shared.cancel(runningOn: handle)
        close()
        return PostgresError(
            .deadlineExceeded, message: "the database did not answer before the deadline", query: sql)
    }

    /// Refuses to start a statement once the deadline has passed: nothing is in flight, so the
    /// connection stays usable, and no statement is sent only to be cancelled.
    func checkDeadlineBeforeSending(sql: String?) throws {
        if PostgresDeadline.hasPassed {
            throw PostgresError(
                .deadlineExceeded, message: "the deadline passed before the statement was sent", query: sql)
        }
    }

    /// The error for a libpq call that failed: the connection is gone, or libpq refused.
    func connectionError(_ handle: OpaquePointer, sql: String?) -> PostgresError {
        let lost = Self.sessionEnded(handle)
        if lost { isPoisoned = true }
        return PostgresError(
            lost ? .connectionLost : .protocolViolation, message: Self.errorMessage(handle), query: sql)
    }
}
