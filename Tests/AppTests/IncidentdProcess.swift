import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `.build/debug/incidentd serve` as a child process on a test database (`DATABASE_URL`), on
/// 127.0.0.1 and a port of its choosing (read from its `listening` log line): what SPEC §7's
/// several processes and a kill -9 look like. Build the binary first (`swift build`, which
/// `swift build --build-tests` and `scripts/test` do).
final class IncidentdProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let logFile: String

    static let binary = TestDatabase.repositoryRoot + "/.build/debug/incidentd"

    init(conninfo: String, environment extra: [String: String] = [:]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw EscalationTestFailure("\(Self.binary) is missing: run `swift build` first")
        }
        logFile = NSTemporaryDirectory() + "incidentd-\(UUID().uuidString).log"
        guard FileManager.default.createFile(atPath: logFile, contents: nil) else {
            throw EscalationTestFailure("cannot create \(logFile)")
        }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = conninfo
        environment["INCIDENTD_LOG_LEVEL"] = "info"
        environment["INCIDENTD_OUTBOUND_ALLOW"] = "127.0.0.0/8"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardError = FileHandle(forWritingAtPath: logFile)
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        port = try Self.listeningPort(logFile: logFile, process: process)
    }

    deinit {
        kill9()
        try? FileManager.default.removeItem(atPath: logFile)
    }

    /// kill -9: no shutdown, no last transaction, nothing flushed.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Its log lines so far.
    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// Waits (at most 60 s: it migrates and connects first) for `"event":"listening"` and its port.
    private static func listeningPort(logFile: String, process: Process) throws -> Int {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains(#""event":"listening""#) {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                if let port = object?["port"] as? Int { return port }
            }
            guard process.isRunning else { throw EscalationTestFailure("incidentd exited: \(text)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw EscalationTestFailure("incidentd did not listen within 60 s")
    }
}
