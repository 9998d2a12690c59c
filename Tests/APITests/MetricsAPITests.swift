import API
import Foundation
import HTTPServer
import Postgres
import Repositories
import TestSupport
import Testing

/// Issue 7: `GET /metrics` after real traffic, on a server wired like `incidentd serve` (the
/// request observer and the attached server and pool) but with its own registry, so parallel
/// tests do not share counters.
final class MetricsTestServer: @unchecked Sendable {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let server: HTTPServer
    let registry: MetricsRegistry

    init(refreshInterval: Duration = .zero) throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: 4)
        let registry = MetricsRegistry(databaseRefreshInterval: refreshInterval)
        self.registry = registry
        let environment = APIEnvironment(pool: pool, logger: .disabled, metrics: registry)
        server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: .disabled,
            observer: { registry.observe($0) })
        registry.attach(server: server, pool: pool, environment: environment)
        try server.start()
    }

    func stop() {
        server.shutdown(gracePeriod: .seconds(2))
        server.waitUntilStopped()
        pool.close()
    }

    /// Sends `head` (a request line and headers, no body) on a new connection.
    func send(_ head: String) throws -> RawHTTPResponse {
        let client = try RawHTTPClient(port: server.boundPort, timeout: .seconds(15))
        defer { client.close() }
        try client.send(head + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n")
        return try client.readResponse()
    }

    func get(_ path: String) throws -> RawHTTPResponse { try send("GET \(path) HTTP/1.1\r\n") }

    /// Open alerts, incidents, SLA breaches and a draft post-mortem, straight into the tables.
    func insertGaugeFixture() throws {
        try pool.withConnection { c in
            try c.execute("INSERT INTO services (name) VALUES ('api')")
            for (severity, status) in [
                ("critical", "triggered"), ("critical", "triggered"), ("warning", "acknowledged"),
                ("info", "resolved"),
            ] {
                try c.execute(
                    """
                    INSERT INTO alerts (service_id, source, summary, severity, status, dedup_key)
                    VALUES (1, 'test', 'x', \(severity), \(status), gen_random_uuid()::text)
                    """)
            }
            try insertIncident(c, "SEV1", resolved: false, breached: false)
            try insertIncident(c, "SEV2", resolved: false, breached: true)
            let resolved = try insertIncident(c, "SEV3", resolved: true, breached: true)
            try c.execute(
                """
                INSERT INTO postmortems (incident_id, incident_date, severity) VALUES (\(resolved), '2024-12-02', 'SEV3')
                """)
        }
    }

    @discardableResult
    func insertIncident(_ c: PostgresConnection, _ severity: String, resolved: Bool, breached: Bool) throws
        -> Int64
    {
        try c.query(
            """
            INSERT INTO incidents (title, severity, status, channel, started_at, detected_at, resolved_at,
                                   ack_due_at, sla_breached)
            VALUES ('x', \(severity), \(resolved ? "resolved" : "investigating"), '#incident-x', now(), now(),
                    \(resolved ? Optional(Date()) : nil), now(), \(breached))
            RETURNING id
            """)[0].decode("id")
    }
}

/// The value of the sample line that starts with `series` (`name{labels}`), if any.
func sampleValue(_ exposition: String, _ series: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

@Suite struct MetricsAPITests {
    @Test func scrapeAfterTrafficCountsRequestsByRoutePatternAndReadsTheGauges() throws {
        let app = try MetricsTestServer()
        defer { app.stop() }
        try app.insertGaugeFixture()
        for _ in 0..<3 { #expect(try app.get("/healthz").status == 200) }
        #expect(try app.get("/no/such/path").status == 404)
        #expect(try app.get("/api/v1/services").status == 401)
        #expect(try app.get("/api/v1/alerts/12345").status == 401)
        #expect(try app.send("BREW /healthz HTTP/1.1\r\n").status == 405)
        app.registry.alerts.record(.pagerduty, count: 2)

        let scrape = try app.get("/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let text = scrape.bodyText
        let expected: [(String, Double)] = [
            (#"incidentd_http_requests_total{route="/healthz",method="GET",status="200"}"#, 3),
            (#"incidentd_http_requests_total{route="unmatched",method="GET",status="404"}"#, 1),
            (#"incidentd_http_requests_total{route="/api/v1/services",method="GET",status="401"}"#, 1),
            // Route patterns, never raw paths: the id does not become a label value.
            (#"incidentd_http_requests_total{route="/api/v1/alerts/{id}",method="GET",status="401"}"#, 1),
            (#"incidentd_http_request_duration_seconds_count{route="/healthz",method="GET"}"#, 3),
            (#"incidentd_http_request_duration_seconds_bucket{route="/healthz",method="GET",le="+Inf"}"#, 3),
            (#"incidentd_alerts_ingested_total{source="pagerduty"}"#, 2),
            (#"incidentd_alerts_ingested_total{source="api"}"#, 0),
            (#"incidentd_open_alerts{severity="critical",status="triggered"}"#, 2),
            (#"incidentd_open_alerts{severity="warning",status="acknowledged"}"#, 1),
            (#"incidentd_open_alerts{severity="info",status="triggered"}"#, 0),
            (#"incidentd_open_incidents{severity="SEV1"}"#, 1),
            (#"incidentd_open_incidents{severity="SEV2"}"#, 1),
            (#"incidentd_open_incidents{severity="SEV3"}"#, 0),
            (#"incidentd_incidents_sla_breached{severity="SEV2"}"#, 1),
            (#"incidentd_incidents_sla_breached{severity="SEV3"}"#, 1),
            (#"incidentd_postmortems_unpublished{status="draft"}"#, 1),
            ("incidentd_metrics_database_up", 1),
            ("incidentd_db_pool_max_connections", 4),
            ("incidentd_db_pool_timeouts_total", 0),
        ]
        for (series, value) in expected {
            #expect(sampleValue(text, series) == value, "\(series)")
        }
        // The scrape's own connection is open while the answer is built.
        #expect((sampleValue(text, "incidentd_http_open_connections") ?? 0) >= 1)
        #expect(sampleValue(text, "incidentd_http_queued_requests") != nil)
        #expect(sampleValue(text, #"incidentd_db_pool_connections{state="in_use"}"#) != nil)
        // An unknown method is one `other` series, never its own label value.
        #expect(text.contains(#"method="other""#))
        #expect(!text.contains("BREW"))

        let second = try app.get("/metrics").bodyText
        #expect(
            sampleValue(second, #"incidentd_http_requests_total{route="/metrics",method="GET",status="200"}"#)
                == 1)
    }

    @Test func databaseGaugesAreCachedForTheRefreshInterval() throws {
        let app = try MetricsTestServer(refreshInterval: .seconds(3600))
        defer { app.stop() }
        let series = #"incidentd_open_incidents{severity="SEV1"}"#
        #expect(sampleValue(try app.get("/metrics").bodyText, series) == 0)
        try app.pool.withConnection { try app.insertIncident($0, "SEV1", resolved: false, breached: false) }
        #expect(sampleValue(try app.get("/metrics").bodyText, series) == 0)

        let fresh = try MetricsTestServer(refreshInterval: .zero)
        defer { fresh.stop() }
        #expect(sampleValue(try fresh.get("/metrics").bodyText, series) == 0)
        try fresh.pool.withConnection {
            try fresh.insertIncident($0, "SEV1", resolved: false, breached: false)
        }
        #expect(sampleValue(try fresh.get("/metrics").bodyText, series) == 1)
    }

    @Test func scrapeAnswersWhileTheDatabaseIsUnreachable() throws {
        let registry = MetricsRegistry(databaseRefreshInterval: .zero)
        let pool = PostgresPool(
            configuration: .init(
                conninfo: "host=/nonexistent/incidentd-metrics-test dbname=none connect_timeout=1",
                acquireTimeout: .milliseconds(200)))
        defer { pool.close() }
        let server = HTTPServer(responder: Router(), logger: .disabled)
        registry.attach(server: server, pool: pool)
        let text = registry.exposition()
        #expect(sampleValue(text, "incidentd_metrics_database_up") == 0)
        #expect((sampleValue(text, "incidentd_db_pool_connect_failures_total") ?? 0) >= 1)
        #expect(!text.contains("incidentd_open_incidents"))
        #expect(sampleValue(text, "incidentd_http_open_connections") == 0)
    }

    @Test(.enabled(if: Promtool.path != nil, "promtool not installed (apt-get install -y prometheus)"))
    func promtoolAcceptsTheExpositionAfterTraffic() throws {
        let app = try MetricsTestServer()
        defer { app.stop() }
        try app.insertGaugeFixture()
        for path in ["/healthz", "/readyz", "/nope", "/api/v1/incidents", "/metrics"] {
            _ = try app.get(path)
        }
        app.registry.alerts.record(.alertmanager, count: 3)
        let scrape = try app.get("/metrics")
        let result = try Promtool.checkMetrics(scrape.body)
        #expect(result.status == 0, "promtool check metrics:\n\(result.output)\n---\n\(scrape.bodyText)")
    }
}

/// Runs `promtool check metrics` (Debian package `prometheus`) on an exposition.
enum Promtool {
    static let path: String? = ["/usr/bin/promtool", "/usr/local/bin/promtool", "/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// Exit status and combined output of `promtool check metrics < exposition`.
    static func checkMetrics(_ exposition: [UInt8]) throws -> (status: Int32, output: String) {
        guard let path else { return (127, "promtool not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// SPEC §5: `/metrics` may be restricted by configuration.
@Suite struct MetricsTokenTests {
    @Test func configuredTokenIsRequiredToScrape() throws {
        var settings = APISettings()
        settings.metricsToken = "scrape-secret"
        let app = try TestApp(settings: settings)
        defer { app.stop() }
        let anonymous = try app.request("GET", "/metrics", key: nil)
        #expect(anonymous.status == 401)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(try app.request("GET", "/metrics", key: "wrong").status == 401)
        let scrape = try app.request("GET", "/metrics", key: "scrape-secret")
        #expect(scrape.status == 200)
        #expect(scrape.bodyText.contains("incidentd_http_requests_total"))
    }

    @Test func metricsStayOpenWithoutAToken() throws {
        let app = try TestApp()
        defer { app.stop() }
        #expect(try app.request("GET", "/metrics", key: nil).status == 200)
    }
}
