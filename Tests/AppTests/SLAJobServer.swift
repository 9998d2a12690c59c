import API
import App
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport

/// One `incidentd` process as `serve` wires it, for tests that run several against one
/// database: its own pool, API server on 127.0.0.1 and SLA breach job.
final class SLAJobServer: @unchecked Sendable {
    let pool: PostgresPool
    let server: HTTPServer
    let job: SLABreachJob

    var port: Int { server.boundPort }

    init(database: PostgresTestDatabase, interval: TimeInterval, clock: @escaping @Sendable () -> Date) throws
    {
        pool = database.makePool(maxConnections: 4)
        let environment = APIEnvironment(pool: pool, logger: .disabled, clock: clock)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        job = SLABreachJob(
            pool: pool, settings: SLABreachJob.Settings(interval: interval, batchSize: 5), clock: clock)
        try server.start()
        job.start()
    }

    /// Stops the job, then the server, then closes the pool (the order of `serve`).
    func stop() {
        job.stop()
        server.shutdown(gracePeriod: .seconds(2))
        server.waitUntilStopped()
        pool.close()
    }

    /// A new API key with `role` on the shared database.
    static func makeKey(_ pool: PostgresPool, role: Role) throws -> String {
        let (keyID, secret) = KeyFormat.newAPIKey()
        _ = try pool.withConnection { connection in
            try APIKeyRepository(connection).create(
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: "sla-test", role: role.rawValue,
                expiresAt: nil)
        }
        return secret
    }

    /// One JSON request on a new connection; returns the status and the parsed object body.
    func request(_ method: String, _ path: String, json: String? = nil, key: String) throws
        -> (status: Int, json: [String: Any])
    {
        let client = try RawHTTPClient(host: "127.0.0.1", port: port, timeout: .seconds(15))
        let payload = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        head += "Authorization: Bearer \(key)\r\nContent-Length: \(payload.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        try client.send(Array((head + "\r\n").utf8) + payload)
        let response = try client.readResponse()
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, object ?? [:])
    }
}

/// A clock tests move by hand, shared by the servers and jobs of one test.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }
}
