import Foundation
import HTTPServer
import Postgres

@testable import API

/// The API without a socket: an `HTTPRequest` handed to `APIResponder.respond(to:)`, the
/// answer's placement (`.now` on the event loop, or `.onWorker`) kept for the test to check,
/// and the server's middleware (ETag/304, gzip) run over the response as the server would.
struct InProcessAPI {
    let environment: APIEnvironment
    let responder: APIResponder
    private let middleware: [any HTTPMiddleware]

    init(environment: APIEnvironment, routes: [APIRoute] = Routes.all()) {
        self.environment = environment
        responder = APIResponder(routes: routes, environment: environment)
        middleware = APIResponder.middleware(environment.settings)
    }

    /// Where an answer was produced, and the response after the middleware.
    struct Answer {
        /// True when the responder answered on the event loop (no worker, no connection).
        let wasImmediate: Bool
        let response: HTTPResponse

        var status: Int { response.status }
        var bodyText: String { String(decoding: response.body, as: UTF8.self) }
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        }
        func header(_ name: String) -> String? { response.headers[name] }
    }

    /// A request as the parser would hand it over: `target` split into path and query.
    static func request(
        _ method: HTTPMethod, _ target: String, key: String? = nil, body: [UInt8] = [],
        contentType: String? = nil, headers: [(String, String)] = [], from address: String = "127.0.0.1:40000"
    ) -> HTTPRequest {
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var fields = HTTPHeaders([("Host", "127.0.0.1")])
        if let key { fields.set(name: "Authorization", value: "Bearer \(key)") }
        if let contentType { fields.set(name: "Content-Type", value: contentType) }
        for (name, value) in headers { fields.add(name: name, value: value) }
        return HTTPRequest(
            method: method, target: target, path: String(parts[0]),
            query: parts.count > 1 ? QueryParameters(parsing: String(parts[1])) : QueryParameters(),
            headers: fields, body: body, remoteAddress: address, requestID: "in-process")
    }

    /// The responder's answer to `request`, the worker part run on this thread.
    func send(_ request: HTTPRequest) -> Answer {
        let answer = responder.respond(to: request)
        var response = answer.response()
        for step in middleware { step.finish(&response, for: request) }
        if case .now = answer { return Answer(wasImmediate: true, response: response) }
        return Answer(wasImmediate: false, response: response)
    }

    /// `send` for a request built from its parts; `json` is sent as `application/json`.
    func send(
        _ method: HTTPMethod, _ target: String, key: String?, json: String? = nil,
        headers: [(String, String)] = []
    ) -> Answer {
        send(
            Self.request(
                method, target, key: key, body: Array((json ?? "").utf8),
                contentType: json == nil ? nil : "application/json", headers: headers))
    }

    /// A pool whose configuration points at nothing (a socket folder that does not exist): any
    /// stage that touches it fails at once and counts a connect failure, which the tests read.
    static func poolToNowhere() -> PostgresPool {
        PostgresPool(
            configuration: PostgresPool.Configuration(
                conninfo: "host=/nonexistent/incidentd-in-process-tests dbname=none connect_timeout=1",
                maxConnections: 2, acquireTimeout: .seconds(1)))
    }

    /// An environment over `pool` with a response cache that lives `timeToLive` seconds.
    static func environment(
        pool: PostgresPool, timeToLive: TimeInterval = 600,
        clock: @escaping @Sendable () -> Date = { Date() },
        configure: (inout APISettings) -> Void = { _ in }
    ) -> APIEnvironment {
        var settings = APISettings()
        settings.responseCacheTTL = timeToLive
        configure(&settings)
        return APIEnvironment(pool: pool, logger: .disabled, settings: settings, clock: clock)
    }
}
