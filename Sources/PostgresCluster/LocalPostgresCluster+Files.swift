import Foundation

/// The data folder on disk: creation, ownership, settings, and lock files of crashed servers.
extension LocalPostgresCluster {
    /// Creates the data (and socket) folder with mode 0700, owned by the cluster's user.
    func prepareEmptyDataDirectory() throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        if fileManager.fileExists(atPath: dataDirectory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue, try fileManager.contentsOfDirectory(atPath: dataDirectory).isEmpty
            else {
                throw ClusterError(
                    "\(dataDirectory) exists and is not an empty folder, but holds no PostgreSQL cluster")
            }
        } else {
            try fileManager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        }
        if socketDirectory != dataDirectory {
            try fileManager.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
            try hand(socketDirectory, mode: 0o700)
        }
        try hand(dataDirectory, mode: 0o700)
    }

    /// As root, gives a data folder that is not the cluster user's to that user (`chown -R`),
    /// e.g. after it was copied or restored by root.
    func ensureOwnership() throws {
        guard let user = runner.user, let account = Self.account(user) else { return }
        var info = stat()
        guard stat(dataDirectory, &info) == 0 else {
            throw ClusterError("cannot stat \(dataDirectory): \(String(cString: strerror(errno)))")
        }
        guard info.st_uid != account.uid else { return }
        logger.info("postgres_chown", ["data_directory": .string(dataDirectory), "user": .string(user)])
        try CommandRunner(user: nil).runChecked(
            "/bin/chown", ["-R", "\(account.uid):\(account.gid)", dataDirectory],
            what: "chown of \(dataDirectory)")
    }

    /// Writes `incidentd.conf` (included from `postgresql.conf`) from the configuration, at every
    /// start, so a changed socket folder or test setting takes effect.
    func writeSettings() throws {
        var settings: [(String, String)] = [
            ("listen_addresses", ""),
            ("unix_socket_directories", socketDirectory),
            ("unix_socket_permissions", "0700"),
            ("port", String(configuration.port)),
        ]
        if !configuration.durable {
            settings += [("fsync", "off"), ("full_page_writes", "off"), ("synchronous_commit", "off")]
        }
        settings += configuration.settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var text = "# Written by incidentd at every start of this cluster; changes here are overwritten.\n"
        for (name, value) in settings {
            // postgresql.conf quoting: single quotes, a quote inside doubled.
            text += "\(name) = '\(value.replacingOccurrences(of: "'", with: "''"))'\n"
        }
        let path = dataDirectory + "/incidentd.conf"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw ClusterError("cannot write \(path)")
        }
        try hand(path, mode: 0o600)
        try includeSettingsFile()
    }

    /// Adds `include_if_exists 'incidentd.conf'` to `postgresql.conf` once.
    private func includeSettingsFile() throws {
        let path = dataDirectory + "/postgresql.conf"
        let directive = "include_if_exists 'incidentd.conf'"
        let current = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        guard !current.contains(directive) else { return }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer {
            do { try handle.close() } catch {}  // Written and synced below; nothing left to lose.
        }
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data("\n# Added by incidentd: its socket-only settings.\n\(directive)\n".utf8))
        try handle.synchronize()
    }

    /// The PID in `postmaster.pid` if that process is a live PostgreSQL server of this folder.
    func runningPostmasterPID() -> pid_t? {
        guard let pid = Self.firstLinePID(dataDirectory + "/postmaster.pid") else { return nil }
        return Self.isLivePostgres(pid, dataDirectory: dataDirectory) ? pid : nil
    }

    /// Removes `postmaster.pid` and the socket lock of a server that is gone. PostgreSQL removes
    /// them itself when their PID is dead, but not when the PID was reused by another process
    /// (likely in containers after a crash), and then it refuses to start.
    func removeStaleLockFiles() throws {
        let socketLock = "\(socketDirectory)/.s.PGSQL.\(configuration.port).lock"
        for lockFile in [dataDirectory + "/postmaster.pid", socketLock] {
            guard let pid = Self.firstLinePID(lockFile),
                !Self.isLivePostgres(pid, dataDirectory: dataDirectory)
            else {
                continue
            }
            logger.warning("postgres_stale_lock_removed", ["file": .string(lockFile), "pid": .int(Int(pid))])
            guard unlink(lockFile) == 0 || errno == ENOENT else {
                throw ClusterError("cannot remove stale \(lockFile): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// The last lines of the server log, for error messages.
    func logTail(lines: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: logFile) else {
            return "(no log at \(logFile))"
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(
            separator: "\n")
    }

    /// Sets `mode` on `path` and, as root, gives it to the cluster's user.
    private func hand(_ path: String, mode: mode_t) throws {
        guard chmod(path, mode) == 0 else {
            throw ClusterError("cannot chmod \(path): \(String(cString: strerror(errno)))")
        }
        guard let user = runner.user else { return }
        guard let account = Self.account(user) else {
            throw ClusterError(
                "running as root, the cluster must run as user \(user), which does not exist"
                    + " (apt-get install postgresql creates it); or run incidentd as an ordinary user")
        }
        guard chown(path, account.uid, account.gid) == 0 else {
            throw ClusterError("cannot chown \(path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    /// UID and GID of `user`.
    static func account(_ user: String) -> (uid: uid_t, gid: gid_t)? {
        guard let entry = getpwnam(user) else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// The number on the first line of a lock file, nil if there is none.
    static func firstLinePID(_ path: String) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: path),
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first,
            let pid = pid_t(line.trimmingCharacters(in: .whitespaces)), pid > 0
        else { return nil }
        return pid
    }

    /// Whether `pid` is a running (not zombie) `postgres` process whose working folder is
    /// `dataDirectory` (the server changes into its data folder at start).
    static func isLivePostgres(_ pid: pid_t, dataDirectory: String) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else {
            return true  // No /proc (not Linux): trust kill(2).
        }
        let text = String(decoding: stat, as: UTF8.self)
        // Format: "pid (comm) state ...": the name is in parentheses, the state follows.
        guard let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else { return false }
        let name = text[text.index(after: open)..<close]
        let state = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
        guard name == "postgres" || name == "postmaster", state != "Z" else { return false }
        do {
            let cwd = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd")
            return cwd == URL(fileURLWithPath: dataDirectory).resolvingSymlinksInPath().path
        } catch {
            return true  // Not allowed to look (another user's process): name and state must do.
        }
    }
}
