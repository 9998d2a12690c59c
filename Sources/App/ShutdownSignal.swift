#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT (stop) and SIGHUP (reload certificates), taken synchronously: blocked in
/// this thread before any other thread starts (threads inherit the mask, so no thread is
/// interrupted), then waited for with sigwait.
public enum ShutdownSignal {
    /// Call first thing, before starting servers or pools.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        // A peer closing its socket must not kill the process (the server also uses MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits until SIGTERM or SIGINT arrives and returns its number; each SIGHUP before it
    /// calls `onHangUp` (on this thread) and the wait goes on.
    public static func wait(onHangUp: () -> Void = {}) -> Int32 {
        var set = signalSet()
        while true {
            var received: Int32 = 0
            guard sigwait(&set, &received) == 0 else { continue }
            if received == SIGHUP {
                onHangUp()
                continue
            }
            return received
        }
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGHUP)
        return set
    }
}
