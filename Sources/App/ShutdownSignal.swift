#if canImport(Glibc)
    import Glibc
#endif

/// SIGTERM and SIGINT, taken synchronously: blocked in this thread before any other thread
/// starts (threads inherit the mask, so no thread is interrupted), then waited for with sigwait.
public enum ShutdownSignal {
    /// Call first thing, before starting servers or pools.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        // A peer closing its socket must not kill the process (the server also uses MSG_NOSIGNAL).
        signal(SIGPIPE, SIG_IGN)
    }

    /// Waits until SIGTERM or SIGINT arrives; returns its number.
    public static func wait() -> Int32 {
        var set = signalSet()
        var received: Int32 = 0
        while sigwait(&set, &received) != 0 {}
        return received
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }
}
