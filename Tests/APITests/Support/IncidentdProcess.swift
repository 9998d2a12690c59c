import API
import Foundation
import Postgres
import Repositories
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The `incidentd` executable this build made (`.build/debug/incidentd serve`), run as a child
/// process on a test database, for what only real processes show: kill -9 and several
/// processes on one database.
final class IncidentdProcess: @unchecked Sendable {
    static let binary = TestDatabase.repositoryRoot + "/.build/debug/incidentd"

    let process = Process()
    let port: Int
    /// Its stderr (JSON log lines), for a failing test's message.
    let logFile: String

    /// Starts `incidentd serve` on 127.0.0.1 (a free port) with `DATABASE_URL` = `conninfo`
    /// and `environment` added to this process's own, and waits until `/readyz` answers 200.
    init(conninfo: String, environment: [String: String]) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw IncidentdProcessError("no \(Self.binary): build it first (swift build --build-tests)")
        }
        port = try ReceiverProcess.freePort()
        logFile = NSTemporaryDirectory() + "incidentd-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "serve", "--host", "127.0.0.1", "--port", String(port), "--migrations-dir",
            TestDatabase.migrationsDirectory,
        ]
        var variables = ProcessInfo.processInfo.environment
        variables["DATABASE_URL"] = conninfo
        variables["INCIDENTD_POOL_SIZE"] = "4"
        variables["INCIDENTD_WORKER_THREADS"] = "8"
        for (name, value) in environment { variables[name] = value }
        process.environment = variables
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logFile)
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while (try? request("GET", "/readyz", key: nil).status) != 200 {
            guard process.isRunning, Date() < deadline else {
                kill9()
                throw IncidentdProcessError("incidentd did not get ready:\n\(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        kill9()
        try? FileManager.default.removeItem(atPath: logFile)
    }

    /// SIGKILL: no shutdown, nothing recorded, claims left as they are.
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, as an operator stops it; SIGKILL if it has not ended after 20 s.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill9()
    }

    var log: String { (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? "" }

    /// One request on a new connection.
    func request(_ method: String, _ path: String, json: String? = nil, key: String?) throws
        -> RawHTTPResponse
    {
        let client = try RawHTTPClient(port: port, timeout: .seconds(15))
        let payload = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let key { head += "Authorization: Bearer \(key)\r\n" }
        if json != nil { head += "Content-Type: application/json\r\n" }
        if !payload.isEmpty || method == "POST" { head += "Content-Length: \(payload.count)\r\n" }
        try client.send(Array((head + "\r\n").utf8) + payload)
        return try client.readResponse(forHead: false)
    }

    /// A new admin key in `pool`'s database, straight through the repository.
    static func makeAdminKey(_ pool: PostgresPool) throws -> String {
        let (keyID, secret) = KeyFormat.newAPIKey()
        _ = try pool.withConnection { connection in
            try APIKeyRepository(connection).create(
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: "process-test", role: "admin",
                expiresAt: nil)
        }
        return secret
    }
}

/// A server process that could not be started.
struct IncidentdProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
