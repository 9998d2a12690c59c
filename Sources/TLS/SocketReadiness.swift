#if canImport(Glibc)
    import Glibc
#endif

/// Waits with `poll` for a socket to become readable or writable before a deadline.
enum SocketReadiness {
    /// True when `socket` is ready for `events` (or has an error or hang-up to report, which
    /// the next read or write will); false when `deadline` passed first.
    static func wait(_ socket: Int32, for events: Int16, until deadline: ContinuousClock.Instant)
        throws(TLSError)
        -> Bool
    {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero { return false }
            let (seconds, attoseconds) = left.components
            // Round up so a wait never ends a hair before the deadline and spins.
            let milliseconds = min(
                seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000, 60_000)
            var descriptor = pollfd(fd: socket, events: events, revents: 0)
            let result = poll(&descriptor, 1, Int32(milliseconds))
            if result > 0 { return true }
            if result < 0 && errno != EINTR {
                throw TLSError(.io, "poll: \(String(cString: strerror(errno)))")
            }
        }
    }
}
