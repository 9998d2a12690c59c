import Foundation

/// Stopping a server by signal, without running `pg_ctl`: for `atexit` handlers and for
/// cleaning up after crashed processes, where spawning programs is not an option.
extension LocalPostgresCluster {
    /// The PID of the live PostgreSQL server of `dataDirectory`, if there is one.
    public static func runningServerPID(dataDirectory: String) -> pid_t? {
        let directory = absolute(dataDirectory)
        guard let pid = firstLinePID(directory + "/postmaster.pid") else { return nil }
        return isLivePostgres(pid, dataDirectory: directory) ? pid : nil
    }

    /// Stops the server of `dataDirectory` with SIGINT (fast shutdown), then SIGQUIT (immediate)
    /// and SIGKILL if it lingers; returns whether it is gone.
    @discardableResult
    public static func stopBySignal(dataDirectory: String, timeout: Duration = .seconds(10)) -> Bool {
        for signal in [SIGINT, SIGQUIT, SIGKILL] {
            guard let pid = runningServerPID(dataDirectory: dataDirectory) else { return true }
            kill(pid, signal)
            if waitUntilGone(dataDirectory: dataDirectory, timeout: timeout) { return true }
        }
        return runningServerPID(dataDirectory: dataDirectory) == nil
    }

    private static func waitUntilGone(dataDirectory: String, timeout: Duration) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if runningServerPID(dataDirectory: dataDirectory) == nil { return true }
            usleep(20_000)
        }
        return false
    }
}
