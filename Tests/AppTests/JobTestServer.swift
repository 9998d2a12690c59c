import API
import App
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport

/// A background job as `serve` runs it: started after the API server, stopped before it.
protocol BackgroundJob: Sendable {
    func start()
    func stop()
}

extension SLABreachJob: BackgroundJob {}
extension HeartbeatExpiryJob: BackgroundJob {}
extension MaintenanceWindowJob: BackgroundJob {}

/// One `incidentd` process as `serve` wires it around one background job, for tests that run
/// several against one database: its own pool, the API on 127.0.0.1 and the job, made by
/// `makeJob` from the pool and the API's environment.
final class JobTestServer<Job: BackgroundJob>: @unchecked Sendable {
    let pool: PostgresPool
    let environment: APIEnvironment
    let server: HTTPServer
    let job: Job

    var port: Int { server.boundPort }

    init(
        database: PostgresTestDatabase, clock: @escaping @Sendable () -> Date,
        makeJob: (PostgresPool, APIEnvironment) -> Job
    ) throws {
        pool = database.makePool(maxConnections: 4)
        environment = APIEnvironment(pool: pool, logger: .disabled, clock: clock)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        job = makeJob(pool, environment)
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
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: "job-test", role: role.rawValue,
                expiresAt: nil)
        }
        return secret
    }

    /// One JSON request on a new connection with `key` as Bearer; returns the status and the
    /// parsed object body.
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

    /// `request` that must succeed (2xx); returns the parsed body.
    func expectSuccess(_ method: String, _ path: String, json: String? = nil, key: String) throws -> [String:
        Any]
    {
        let answer = try request(method, path, json: json, key: key)
        guard (200..<300).contains(answer.status) else {
            throw SetupFailure(description: "\(method) \(path): \(answer.status) \(answer.json)")
        }
        return answer.json
    }

    /// The first column of the first row of `sql` as an integer.
    func scalar(_ sql: String) throws -> Int64 {
        try pool.withConnection {
            try $0.query(PostgresQuery(sql: sql, binds: []))[0].decode(0, as: Int64.self)
        }
    }
}

/// A test server's setup request that did not succeed.
struct SetupFailure: Error, CustomStringConvertible {
    let description: String
}
