import API
import App
import Foundation
import HTTPServer
import Log
import Postgres
import Repositories
import TestSupport

/// The whole API on a real server (127.0.0.1, any port) over a fresh, migrated database.
/// Each test makes its own and calls `stop()` at the end.
final class TestApp: @unchecked Sendable {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let server: HTTPServer
    let environment: APIEnvironment
    /// As `incidentd serve` runs it: the credential cache is in play in every API test.
    let credentialListener: CredentialChangeListener
    /// As `incidentd serve` runs it: the read-only switch is followed in every API test.
    let readOnlyFollower: ReadOnlyFollower
    /// As `incidentd serve` runs it: streams hear events from every process (SPEC §8).
    let eventStreamListener: EventStreamListener
    /// As `incidentd serve` runs it, when the test asked for one (`outbound`): the delivery
    /// workers with the real HTTP and SMTP clients.
    let deliveryWorker: DeliveryWorker?
    /// An admin key made at start.
    private(set) var adminKey = ""

    var port: Int { server.boundPort }

    /// `host` nil listens on every IPv4 and IPv6 address (for tests that need two client
    /// addresses). `database` nil makes a fresh one on the shared cluster; `sharing` another app:
    /// a second server process on that app's database (SPEC §7); `configure` adjusts the HTTP
    /// server (timeouts). `outbound`: environment variables (`INCIDENTD_OUTBOUND_ALLOW`,
    /// `INCIDENTD_SMTP_URL`, `INCIDENTD_DELIVERY_BACKOFF`, ...) read as `incidentd serve` reads
    /// them; the app then runs delivery workers with the transport and SSRF guard they
    /// configure, as `serve` does.
    init(
        host: String? = "127.0.0.1", settings: APISettings = APISettings(),
        clock: @escaping @Sendable () -> Date = { Date() },
        pendingMigrations: @escaping @Sendable () throws -> Int = { 0 },
        database: PostgresTestDatabase? = nil, sharing other: TestApp? = nil,
        outbound: [String: String]? = nil,
        configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws {
        var settings = settings
        var delivery: (transport: NetworkTransport, settings: DeliveryWorker.Settings)?
        if let outbound {
            var configuration = Configuration()
            try configuration.apply(environment: outbound)
            let transport = try configuration.makeDeliveryTransport()
            delivery = (transport, try configuration.deliverySettings(for: transport))
            settings.outboundPolicy = configuration.outboundPolicy
        }
        self.database = try database ?? other?.database ?? TestDatabase.makeFreshDatabase()
        pool = self.database.makePool(maxConnections: 8)
        environment = APIEnvironment(
            pool: pool, logger: .disabled, settings: settings, pendingMigrations: pendingMigrations,
            clock: clock)
        var configuration = HTTPServerConfiguration(host: host, port: 0, workerCount: 16, accessLog: false)
        configure(&configuration)
        server = HTTPServer(
            configuration: configuration,
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled)
        credentialListener = CredentialChangeListener(
            conninfo: self.database.conninfo, cache: environment.credentials)
        credentialListener.start()
        readOnlyFollower = ReadOnlyFollower(conninfo: self.database.conninfo, readOnly: environment.readOnly)
        readOnlyFollower.start()
        eventStreamListener = EventStreamListener(conninfo: self.database.conninfo, hub: environment.streams)
        eventStreamListener.start()
        if let delivery {
            deliveryWorker = DeliveryWorker(
                pool: pool, conninfo: self.database.conninfo, transport: delivery.transport,
                settings: delivery.settings, metrics: environment.metrics.deliveries)
        } else {
            deliveryWorker = nil
        }
        deliveryWorker?.start()
        try server.start()
        adminKey = try makeKey(role: .admin, name: "test-admin")
        try waitUntilListening()
    }

    /// Stops the server and closes the pool.
    func stop() {
        server.shutdown(gracePeriod: .seconds(2))
        server.waitUntilStopped()
        deliveryWorker?.stop()
        credentialListener.stop()
        readOnlyFollower.stop()
        eventStreamListener.stop()
        pool.close()
    }

    /// Waits for the credential listener's first LISTEN, so every test runs with the cache on.
    private func waitUntilListening() throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !environment.credentials.isListening || !environment.streams.isStarted {
            guard ContinuousClock.now < deadline else {
                throw CocoaError(
                    .featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "listener never connected"])
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
    }

    /// A new API key with `role`, straight through the repository.
    func makeKey(role: Role, name: String = "test-key", expiresAt: Date? = nil) throws -> String {
        let (keyID, secret) = KeyFormat.newAPIKey()
        _ = try pool.withConnection { connection in
            try APIKeyRepository(connection).create(
                keyID: keyID, secretHash: KeyFormat.hash(secret), name: name, role: role.rawValue,
                expiresAt: expiresAt)
        }
        return secret
    }

    /// One request on a new connection. `key` nil sends no Authorization header.
    func request(
        _ method: String, _ path: String, json: String? = nil, key: String?, headers: [(String, String)] = [],
        body: [UInt8]? = nil, contentType: String? = nil, from address: String = "127.0.0.1"
    ) throws -> RawHTTPResponse {
        let client = try RawHTTPClient(host: address, port: port, timeout: .seconds(15))
        let payload = body ?? json.map { Array($0.utf8) } ?? []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let key { head += "Authorization: Bearer \(key)\r\n" }
        if let type = contentType ?? (json != nil ? "application/json" : nil) {
            head += "Content-Type: \(type)\r\n"
        }
        if !payload.isEmpty || method == "POST" || method == "PATCH" {
            head += "Content-Length: \(payload.count)\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try client.send(Array(head.utf8) + payload)
        return try client.readResponse(forHead: method == "HEAD")
    }

    /// `request` with the admin key.
    func admin(_ method: String, _ path: String, json: String? = nil, headers: [(String, String)] = [])
        throws -> RawHTTPResponse
    {
        try request(method, path, json: json, key: adminKey, headers: headers)
    }
}

extension RawHTTPResponse {
    /// The body parsed as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}
