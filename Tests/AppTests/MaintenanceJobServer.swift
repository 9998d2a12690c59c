import API
import App
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport

/// One `incidentd` process as `serve` wires maintenance windows: its own pool, API server on
/// 127.0.0.1 and ``MaintenanceWindowJob``, for tests that run several against one database.
final class MaintenanceJobServer: @unchecked Sendable {
    let pool: PostgresPool
    let server: HTTPServer
    let job: MaintenanceWindowJob

    var port: Int { server.boundPort }

    init(
        database: PostgresTestDatabase, settings: MaintenanceWindowJob.Settings = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        pool = database.makePool(maxConnections: 4)
        let environment = APIEnvironment(pool: pool, logger: .disabled, clock: clock)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        job = MaintenanceWindowJob(
            pool: pool, settings: settings, policy: environment.settings.slaPolicy, clock: clock,
            onChange: { environment.responses.invalidateAll() })
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

    /// The maintenance events of the log, oldest first (read straight from the table).
    func maintenanceEvents() throws -> [(type: String, window: String, startsAt: String)] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT type, subject_ref, data ->> 'starts_at' AS starts_at FROM events
                WHERE type LIKE 'maintenance.%' ORDER BY id
                """
            ).map { row in
                (try row.decode("type"), try row.decode("subject_ref"), try row.decode("starts_at"))
            }
        }
    }

    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
    }
}
