import API
import App
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport

/// One `incidentd` process as `serve` wires it for heartbeats: its own pool, the API on
/// 127.0.0.1 and a heartbeat expiry job that counts from `processStartedAt`.
final class HeartbeatJobServer: @unchecked Sendable {
    let pool: PostgresPool
    let server: HTTPServer
    let job: HeartbeatExpiryJob

    var port: Int { server.boundPort }

    init(
        database: PostgresTestDatabase,
        checkInterval: TimeInterval = HeartbeatExpiryJob.Settings.defaultInterval,
        processStartedAt: Date = Date(), clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        pool = database.makePool(maxConnections: 4)
        let environment = APIEnvironment(pool: pool, logger: .disabled, clock: clock)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        job = HeartbeatExpiryJob(
            pool: pool, settings: HeartbeatExpiryJob.Settings(interval: checkInterval, batchSize: 5),
            processStartedAt: processStartedAt, clock: clock)
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

    /// One JSON request on a new connection with `key` as Bearer.
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

    /// The first column of the first row of `sql` as an integer.
    func scalar(_ sql: String) throws -> Int64 {
        try pool.withConnection {
            try $0.query(PostgresQuery(sql: sql, binds: []))[0].decode(0, as: Int64.self)
        }
    }

    /// Creates service `service` and heartbeat `name` on it with an admin key.
    func makeHeartbeat(_ name: String, service: String, interval: Int, grace: Int, key: String) throws {
        _ = try request("POST", "/api/v1/services", json: #"{"name":"\#(service)"}"#, key: key)
        let created = try request(
            "POST", "/api/v1/heartbeats",
            json:
                #"{"name":"\#(name)","service":"\#(service)","interval_seconds":\#(interval),"grace_seconds":\#(grace)}"#,
            key: key)
        guard created.status == 201 else { throw SetupError(answer: "\(created)") }
    }

    struct SetupError: Error {
        let answer: String
    }
}
