import Foundation

/// Runs PostgreSQL's programs and collects their output, as another user when needed.
///
/// `initdb`, `pg_ctl` and `postgres` refuse to run as root (NOTES.md), so as root every command
/// runs through `runuser -u postgres --`.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`:
/// `Process` learns that a child ended when a descriptor it shares with the child closes, and
/// the server that `pg_ctl start` leaves behind inherits that descriptor, so `waitUntilExit`
/// would never return. For the same reason output goes to a temporary file, not a pipe, and
/// every descriptor above stderr is closed in the child.
struct CommandRunner: Sendable {
    /// The unprivileged user to run as, nil to run as ourselves.
    let user: String?

    /// The exit status and the combined stdout and stderr of one run.
    struct Outcome {
        let status: Int32
        let output: String
    }

    /// Runs `executable` with `arguments` in `/` (the caller's folder may be closed to the
    /// postgres user) and waits for it to exit.
    func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let outputPath =
            "\(FileManager.default.temporaryDirectory.path)/incidentd-cmd-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).log"
        let output = open(outputPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw ClusterError("cannot create \(outputPath): \(String(cString: strerror(errno)))")
        }
        defer {
            close(output)
            // A leftover temporary file is harmless; nothing to do if unlinking fails.
            _ = unlink(outputPath)
        }
        let argv =
            user.map { ["runuser", "-u", $0, "--", executable] + arguments } ?? [executable] + arguments
        let program = user == nil ? executable : Self.runuserPath
        let pid = try spawn(program, argv, output: output)
        let status = try wait(for: pid, executable: executable)
        return Outcome(status: status, output: Self.readAll(output))
    }

    /// Runs and throws with the command's output unless it exits 0.
    @discardableResult
    func runChecked(_ executable: String, _ arguments: [String], what: String) throws -> String {
        let outcome = try run(executable, arguments)
        guard outcome.status == 0 else {
            throw ClusterError("\(what) failed (exit \(outcome.status)): \(outcome.output.trimmed)")
        }
        return outcome.output
    }

    /// Starts `program` with stdin from /dev/null and stdout and stderr into `output`.
    private func spawn(_ program: String, _ argv: [String], output: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let setup: [Int32?] = [
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0),
            posix_spawn_file_actions_adddup2(&actions, output, 1),
            posix_spawn_file_actions_adddup2(&actions, output, 2),
            SpawnExtensions.closeFrom?(&actions, 3),
            SpawnExtensions.changeDirectory?(&actions, "/"),
        ]
        if let failure = setup.compactMap({ $0 }).first(where: { $0 != 0 }) {
            throw ClusterError("cannot prepare to run \(program): \(String(cString: strerror(failure)))")
        }
        let arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, arguments, environ)
        guard result == 0 else {
            throw ClusterError("cannot run \(program): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for `pid` and returns its exit status (128 + signal when killed).
    private func wait(for pid: pid_t, executable: String) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw ClusterError("waiting for \(executable) failed: \(String(cString: strerror(errno)))")
            }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift does not import.
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// The whole content of the file behind `descriptor`.
    private static func readAll(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes += buffer[0..<count]
            offset += off_t(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `runuser` from util-linux, which Debian installs in /usr/sbin (also /sbin).
    static var runuserPath: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "/usr/sbin/runuser"
    }
}

/// glibc's non-portable spawn actions (closefrom since 2.34, chdir since 2.29), looked up at run
/// time because Swift's Glibc module does not declare them.
private enum SpawnExtensions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")

    private static func symbol<Function>(_ name: String) -> Function? {
        // RTLD_DEFAULT is ((void *) 0) in glibc.
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else { return nil }
        return unsafeBitCast(address, to: Function.self)
    }
}

extension String {
    /// Without surrounding whitespace and newlines.
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
