import HTTPServer
import TestSupport
import Testing

/// CORS through the polling wrapper over real sockets.
@Suite struct PollingCORSTests {
    static let dashboard = "https://dash.example.com"

    func exchange(_ port: Int, _ head: String) throws -> RawHTTPResponse {
        let client = try RawHTTPClient(port: port)
        return try client.exchange(head + "Host: t\r\n\r\n")
    }

    func corsHeaders(_ response: RawHTTPResponse) -> [String] {
        response.headers.filter { $0.name.lowercased().hasPrefix("access-control-") }.map(\.name)
    }

    @Test func letsAnAllowedOriginReadTheAnswerAndItsHeaders() throws {
        try TestServer.with(
            responder: PollingTestRoutes.router(),
            middleware: PollingTestRoutes.middleware(corsOrigins: [Self.dashboard])
        ) {
            _, port in
            let response = try exchange(port, "GET /page HTTP/1.1\r\nOrigin: \(Self.dashboard)\r\n")
            #expect(response.status == 200)
            #expect(response.header("Access-Control-Allow-Origin") == Self.dashboard)
            #expect(
                response.header("Access-Control-Expose-Headers")
                    == "ETag, X-Request-ID, Retry-After, Location")
            #expect(response.header("Vary") == "Accept-Encoding, Origin")
            #expect(response.header("Access-Control-Allow-Methods") == nil)
            let missing = try exchange(port, "GET /nowhere HTTP/1.1\r\nOrigin: \(Self.dashboard)\r\n")
            #expect(missing.status == 404)
            #expect(missing.header("Access-Control-Allow-Origin") == Self.dashboard)
        }
    }

    @Test func givesOtherOriginsNoCORSHeaders() throws {
        try TestServer.with(
            responder: PollingTestRoutes.router(),
            middleware: PollingTestRoutes.middleware(corsOrigins: [Self.dashboard])
        ) {
            _, port in
            for origin in ["https://evil.example.com", "null", "https://dash.example.com.evil.test"] {
                let response = try exchange(port, "GET /page HTTP/1.1\r\nOrigin: \(origin)\r\n")
                #expect(response.status == 200)
                #expect(corsHeaders(response).isEmpty)
                #expect(response.header("Vary") == "Accept-Encoding, Origin")
            }
            let preflight = try exchange(
                port,
                "OPTIONS /page HTTP/1.1\r\nOrigin: https://evil.example.com\r\nAccess-Control-Request-Method: GET\r\n"
            )
            #expect(corsHeaders(preflight).isEmpty)
        }
    }

    @Test func answersAPreflightFromAnAllowedOrigin() throws {
        try TestServer.with(
            responder: PollingTestRoutes.router(),
            middleware: PollingTestRoutes.middleware(corsOrigins: [Self.dashboard])
        ) {
            _, port in
            let response = try exchange(
                port,
                "OPTIONS /page HTTP/1.1\r\nOrigin: \(Self.dashboard)\r\nAccess-Control-Request-Method: GET\r\n"
                    + "Access-Control-Request-Headers: authorization, if-none-match\r\n")
            #expect(response.status == 204)
            #expect(response.header("Access-Control-Allow-Origin") == Self.dashboard)
            #expect(response.header("Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS, POST")
            #expect(
                response.header("Access-Control-Allow-Headers")
                    == "Authorization, Content-Type, If-None-Match, Idempotency-Key, X-Request-ID")
            #expect(response.header("Access-Control-Max-Age") == "600")
            #expect(response.header("Access-Control-Expose-Headers") == nil)
            #expect(response.header("Vary") == "Origin")
        }
    }

    @Test func addsNothingWhenNoOriginIsConfigured() throws {
        try TestServer.with(responder: PollingTestRoutes.router(), middleware: PollingTestRoutes.middleware())
        { _, port in
            let response = try exchange(port, "GET /page HTTP/1.1\r\nOrigin: \(Self.dashboard)\r\n")
            #expect(corsHeaders(response).isEmpty)
            #expect(response.header("Vary") == "Accept-Encoding")
            let preflight = try exchange(
                port,
                "OPTIONS /page HTTP/1.1\r\nOrigin: \(Self.dashboard)\r\nAccess-Control-Request-Method: GET\r\n"
            )
            #expect(preflight.status == 204)
            #expect(corsHeaders(preflight).isEmpty)
            #expect(preflight.header("Vary") == nil)
        }
    }
}
