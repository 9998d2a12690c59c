#if canImport(Glibc)
    import Glibc
#endif

/// Waits with `poll` for a socket, for as long as a deadline leaves.
enum Readiness {
    /// True when `socket` is ready for `events` (or has an error to report), false when
    /// `deadline` passed first.
    static func isReady(_ socket: Int32, for events: Int16, until deadline: ContinuousClock.Instant)
        throws(OutboundError) -> Bool
    {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return false }
            let (seconds, attoseconds) = left.components
            // Round up: a wait that ends a hair early would only spin.
            let milliseconds = min(
                seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000, 60_000)
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let result = poll(&descriptor, 1, Int32(milliseconds))
            if result > 0 { return true }
            if result < 0 && errno != EINTR {
                throw OutboundError(.io, "poll: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Waits, throwing `.timeout` naming `step` when the deadline passes first.
    static func wait(
        _ socket: Int32, for events: Int16, until deadline: ContinuousClock.Instant, doing step: String
    )
        throws(OutboundError)
    {
        guard try isReady(socket, for: events, until: deadline) else {
            throw OutboundError(.timeout, "\(step) did not finish in time")
        }
    }
}
