import Foundation
import PostgresCluster

/// Keeps track of the test clusters of this process so they are stopped and deleted at exit,
/// and removes what crashed test processes left behind.
enum PostgresTestClusterRegistry {
    /// Temporary folders of test clusters start with this.
    static let folderPrefix = "incidentd-test-"

    /// Root folders of live clusters, guarded by a lock (read by the `atexit` handler).
    private final class Clusters: @unchecked Sendable {
        let lock = NSLock()
        var roots: Set<String> = []
        var nextNumber = 0
    }

    private static let clusters = Clusters()

    /// Runs once per process: cleans up leftovers and installs the exit handler.
    private static let prepared: Void = {
        removeLeftovers()
        atexit { PostgresTestClusterRegistry.stopAll() }
    }()

    static func prepare() { _ = prepared }

    /// A new folder `<tmp>/incidentd-test-<pid>-<n>` holding `owner.pid`, registered for
    /// deletion at exit (with the server of its `data` folder). Short on purpose: the socket
    /// path inside must stay under 107 bytes.
    static func makeRootDirectory() throws -> String {
        prepare()
        clusters.lock.lock()
        clusters.nextNumber += 1
        let number = clusters.nextNumber
        clusters.lock.unlock()
        let root = "\(temporaryDirectory)/\(folderPrefix)\(getpid())-\(number)"
        try FileManager.default.createDirectory(
            atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: root + "/owner.pid"))
        clusters.lock.lock()
        clusters.roots.insert(root)
        clusters.lock.unlock()
        return root
    }

    /// Forgets `root` (deleted already).
    static func unregister(root: String) {
        clusters.lock.lock()
        clusters.roots.remove(root)
        clusters.lock.unlock()
    }

    /// The `atexit` handler: stops every registered cluster by signal and deletes its folder.
    static func stopAll() {
        clusters.lock.lock()
        let roots = Array(clusters.roots)
        clusters.roots.removeAll()
        clusters.lock.unlock()
        roots.forEach(removeCluster(root:))
    }

    /// The system temporary folder, or `/tmp` when `TMPDIR` is too long for socket paths.
    static var temporaryDirectory: String {
        let path = FileManager.default.temporaryDirectory.standardizedFileURL.path
        return path.utf8.count <= 40 ? path : "/tmp"
    }

    /// Deletes test cluster folders (ours by owner) whose creating process is gone, stopping
    /// the server a crash left running in them.
    static func removeLeftovers() {
        let directory = temporaryDirectory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            return  // Nothing readable, nothing to clean.
        }
        for name in names where name.hasPrefix(folderPrefix) {
            let root = "\(directory)/\(name)"
            var info = stat()
            guard stat(root, &info) == 0, info.st_uid == geteuid(), let owner = ownerPID(root: root),
                owner != getpid(), kill(owner, 0) != 0, errno == ESRCH
            else { continue }
            removeCluster(root: root)
        }
    }

    private static func ownerPID(root: String) -> pid_t? {
        guard let data = FileManager.default.contents(atPath: root + "/owner.pid") else { return nil }
        return pid_t(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Stops the server in `root/data` and deletes `root`. Failures are reported on stderr
    /// only: this runs at exit or as cleanup, where nobody could act on a thrown error.
    private static func removeCluster(root: String) {
        if !LocalPostgresCluster.stopBySignal(dataDirectory: root + "/data") {
            FileHandle.standardError.write(Data("test PostgreSQL in \(root) did not stop\n".utf8))
        }
        do {
            try FileManager.default.removeItem(atPath: root)
        } catch {
            FileHandle.standardError.write(Data("cannot remove \(root): \(error)\n".utf8))
        }
    }
}
