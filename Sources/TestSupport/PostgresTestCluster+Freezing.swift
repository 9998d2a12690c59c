import Foundation
import PostgresCluster

#if canImport(Glibc)
    import Glibc
#endif

/// A server that hangs without closing its connections (what a network partition looks like
/// from the client): every process of the cluster stopped with SIGSTOP, later resumed with
/// SIGCONT. Only for a test's own cluster (`PostgresTestCluster.start()`), never the shared one.
extension PostgresTestCluster {
    /// Stops the postmaster, then every process it started (backends, checkpointer, ...), and
    /// returns their ids for ``thaw(_:)``. The postmaster goes first so it forks no new child
    /// in between.
    public func freeze() throws -> [pid_t] {
        guard let postmaster = LocalPostgresCluster.runningServerPID(dataDirectory: cluster.dataDirectory)
        else {
            throw ClusterError("the test PostgreSQL is not running")
        }
        guard kill(postmaster, SIGSTOP) == 0 else { throw ClusterError("SIGSTOP failed: errno \(errno)") }
        var stopped = [postmaster]
        for child in Self.children(of: postmaster) where kill(child, SIGSTOP) == 0 {
            stopped.append(child)
        }
        return stopped
    }

    /// Resumes processes stopped by ``freeze()``.
    public func thaw(_ processes: [pid_t]) {
        for process in processes { kill(process, SIGCONT) }
    }

    /// Processes whose parent is `parent`, from `/proc/<pid>/stat` (the parent id is the second
    /// field after the command name in parentheses, which may itself contain spaces).
    static func children(of parent: pid_t) -> [pid_t] {
        // Processes come and go while /proc is read: one that vanished is simply not a child.
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, pid_t(fields[1]) == parent else { return nil }
            return pid
        }
    }
}
