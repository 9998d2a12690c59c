import Foundation
import Log
import Postgres
import PostgresCluster
import TestSupport
import Testing

/// The embedded cluster: initdb once, start on a socket only, stop, start again on the same data.
@Suite struct LocalPostgresClusterTests {
    let quiet = Logger(minimumLevel: .warning)

    @Test func initStartQueryStopAndRestartReusesData() throws {
        let root = try PostgresTestCluster.makeScratchDirectory()
        defer {
            do { try PostgresTestCluster.removeScratchDirectory(root) } catch {
                Issue.record("cleanup: \(error)")
            }
        }
        let cluster = try LocalPostgresCluster(
            configuration: .init(dataDirectory: root + "/data", durable: false), logger: quiet)
        #expect(try cluster.initIfNeeded() == true)
        #expect(try cluster.initIfNeeded() == false)
        try cluster.start()
        #expect(cluster.isRunning)
        let firstPID = try #require(LocalPostgresCluster.runningServerPID(dataDirectory: root + "/data"))

        let connection = try PostgresConnection(conninfo: cluster.conninfo())
        try connection.simpleQuery(
            "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('survives restarts');")
        let listen = try #require(try connection.query("SHOW listen_addresses").first).decode(
            0, as: String.self)
        #expect(listen == "")
        connection.close()

        try cluster.stop()
        #expect(!cluster.isRunning)
        #expect(waitUntilStopped(root + "/data"))
        #expect(LocalPostgresCluster.runningServerPID(dataDirectory: root + "/data") != firstPID)

        try cluster.start()
        let again = try PostgresConnection(conninfo: cluster.conninfo())
        let note = try #require(try again.query("SELECT note FROM kept").first).decode(
            "note", as: String.self)
        #expect(note == "survives restarts")
        again.close()
        try cluster.stop()
        #expect(LocalPostgresCluster.runningServerPID(dataDirectory: root + "/data") == nil)
    }

    @Test func stalePostmasterPidFromACrashIsHandled() throws {
        let root = try PostgresTestCluster.makeScratchDirectory()
        defer {
            do { try PostgresTestCluster.removeScratchDirectory(root) } catch {
                Issue.record("cleanup: \(error)")
            }
        }
        let cluster = try LocalPostgresCluster(
            configuration: .init(dataDirectory: root + "/data", durable: false), logger: quiet)
        try cluster.initIfNeeded()
        try cluster.start()
        let pid = try #require(LocalPostgresCluster.runningServerPID(dataDirectory: root + "/data"))
        // Simulate a crash: kill the server hard, then point postmaster.pid at a live process
        // that is not PostgreSQL (our own PID), as after PID reuse in a container.
        kill(pid, SIGKILL)
        #expect(waitUntilStopped(root + "/data"))
        let pidFile = root + "/data/postmaster.pid"
        var lines = String(decoding: try Data(contentsOf: URL(fileURLWithPath: pidFile)), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
        lines[0] = Substring(String(getpid()))
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: pidFile))
        #expect(!cluster.isRunning)

        try cluster.start()
        let connection = try PostgresConnection(conninfo: cluster.conninfo())
        #expect(try connection.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
        connection.close()
        try cluster.stop()
    }

    @Test func missingBinariesGiveAnInstallHint() {
        let error = #expect(throws: ClusterError.self) {
            try PostgresBinaries.locate(environment: ["PATH": "/nonexistent"], debianRoot: "/nonexistent")
        }
        #expect(error?.description.contains("apt-get install postgresql") == true)
    }

    @Test func binariesAreFoundOnThisMachine() throws {
        let binaries = try PostgresBinaries.locate()
        #expect(FileManager.default.isExecutableFile(atPath: binaries.initdb))
        #expect(FileManager.default.isExecutableFile(atPath: binaries.pgCtl))
    }

    /// Waits (bounded) until the server of `dataDirectory` is gone; zombies count as gone.
    func waitUntilStopped(_ dataDirectory: String) -> Bool {
        for _ in 0..<500 {
            if LocalPostgresCluster.runningServerPID(dataDirectory: dataDirectory) == nil { return true }
            usleep(10_000)
        }
        return false
    }
}
