import API
import Foundation
import HTTPServer
import Postgres
import TestSupport
import Testing

/// Health answers are open: they say what is wrong, never where the database is.
@Suite struct HealthDisclosureTests {
    /// The API over a pool whose database does not listen (a closed loopback port).
    static func withUnreachableDatabase(_ body: (Int) throws -> Void) throws {
        let pool = PostgresPool(
            configuration: .init(
                conninfo: "host=127.0.0.1 port=9 dbname=incidentd user=secretuser connect_timeout=2"),
            logger: .disabled)
        defer { pool.close() }
        let environment = APIEnvironment(pool: pool, logger: .disabled)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, workerCount: 4, accessLog: false),
            responder: APIResponder(routes: Routes.all(), environment: environment), logger: .disabled)
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            server.waitUntilStopped()
        }
        try body(server.boundPort)
    }

    @Test func healthAndReadinessNameNoHostPortOrUser() throws {
        try Self.withUnreachableDatabase { port in
            for path in ["/readyz", "/api/health", "/api/health/db", "/health"] {
                let client = try RawHTTPClient(port: port, timeout: .seconds(10))
                let response = try client.exchange("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(response.status == 503, "\(path)")
                for secret in ["127.0.0.1", "port", "5432", "\"9\"", "secretuser", "connection to server"] {
                    #expect(
                        !response.bodyText.contains(secret), "\(path) shows \(secret): \(response.bodyText)")
                }
                #expect(response.bodyText.contains("the database cannot be reached"), "\(path)")
            }
        }
    }
}
