import CEpoll

#if canImport(Glibc)
    import Glibc
#endif

/// Process limits a server must adjust before it can hold many connections.
enum ResourceLimits {
    /// Raises the soft open-files limit to the hard limit (the default soft limit of 1024
    /// is far below 10,000 connections). Returns the soft limit now in force.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return -1 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                return Int(raised.rlim_cur)
            }
        }
        return Int(limit.rlim_cur)
    }

    /// A peer closing its socket must give EPIPE on write, not kill the process (MSG_NOSIGNAL
    /// covers our sends; this covers everything else in the process).
    static func ignoreBrokenPipeSignal() {
        signal(SIGPIPE, SIG_IGN)
    }
}
