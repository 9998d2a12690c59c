import API
import App
import Foundation
import HTTPServer
import Notifications
import Postgres
import Repositories
import TestSupport

/// One `incidentd` process as `serve` wires it for escalation: its pool, the API on 127.0.0.1,
/// an escalation worker (default settings: poll ≤ 1 s) and delivery workers sending pages to a
/// real loopback receiver through the product's HTTP client.
final class EscalationServer: @unchecked Sendable {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let server: HTTPServer
    let escalation: EscalationWorker
    let delivery: DeliveryWorker
    let adminKey: String

    var port: Int { server.boundPort }

    init(database: PostgresTestDatabase? = nil) throws {
        self.database = try database ?? TestDatabase.makeFreshDatabase()
        pool = self.database.makePool(maxConnections: 12)
        let environment = APIEnvironment(pool: pool, logger: .disabled)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 8, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        escalation = EscalationWorker(
            pool: pool, conninfo: self.database.conninfo, onChange: { environment.responses.invalidateAll() })
        var settings = DeliveryWorker.Settings()
        settings.senders = 2
        delivery = DeliveryWorker(
            pool: pool, conninfo: self.database.conninfo, transport: try ReceiverTransport(),
            settings: settings,
            metrics: DeliveryMetrics())
        adminKey = try Self.makeKey(pool, role: .admin)
        try server.start()
        escalation.start()
        delivery.start()
    }

    /// Stops the workers, then the server, then closes the pool (the order of `serve`).
    func stop() {
        escalation.stop()
        delivery.stop()
        server.shutdown(gracePeriod: .seconds(2))
        server.waitUntilStopped()
        pool.close()
    }

    /// A new API key with `role` on the database.
    static func makeKey(_ pool: PostgresPool, role: Role) throws -> String {
        let (keyID, secret) = KeyFormat.newAPIKey()
        _ = try pool.withConnection { connection in
            try APIKeyRepository(connection).create(
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: "escalation-test",
                role: role.rawValue,
                expiresAt: nil)
        }
        return secret
    }

    /// One request on a new connection; the status and the parsed object body.
    func request(_ method: String, _ path: String, json: String? = nil, key: String? = nil) throws
        -> (status: Int, json: [String: Any])
    {
        try HTTPCall.send(port: port, method, path, json: json, key: key ?? adminKey)
    }
}

/// One JSON request on a new connection to 127.0.0.1:`port`.
enum HTTPCall {
    static func send(port: Int, _ method: String, _ path: String, json: String?, key: String) throws
        -> (status: Int, json: [String: Any])
    {
        let client = try RawHTTPClient(host: "127.0.0.1", port: port, timeout: .seconds(15))
        let payload = Array((json ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        head += "Authorization: Bearer \(key)\r\nContent-Length: \(payload.count)\r\n"
        if json != nil { head += "Content-Type: application/json\r\n" }
        try client.send(Array((head + "\r\n").utf8) + payload)
        let response = try client.readResponse()
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        return (response.status, object ?? [:])
    }

    /// `send`, requiring a 2xx; returns the body.
    @discardableResult
    static func ok(port: Int, _ method: String, _ path: String, json: String? = nil, key: String) throws
        -> [String: Any]
    {
        let (status, object) = try send(port: port, method, path, json: json, key: key)
        guard (200..<300).contains(status) else {
            throw EscalationTestFailure("\(method) \(path): \(status) \(object)")
        }
        return object
    }
}

struct EscalationTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
