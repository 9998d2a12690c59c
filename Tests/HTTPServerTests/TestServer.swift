import Foundation
import HTTPServer
import Log
import Synchronization
import TestSupport

/// The routes the socket tests talk to.
enum TestRoutes {
    static let healthBody = Array(#"{"status":"ok"}"#.utf8)

    struct Greeting: Codable, Equatable {
        var name: String
        var count: Int
    }

    struct Failure: Error {}

    static func router() -> Router {
        var router = Router()
        router.add(.get, "/healthz", execution: .eventLoop) { _ in .json(bytes: healthBody) }
        router.add(.get, "/inline/{name}", execution: .eventLoop) { request in
            .text("inline \(request.pathParameters["name"] ?? "")")
        }
        router.add(.get, "/slow", execution: .worker) { request in
            let milliseconds = Int(request.query["ms"] ?? "") ?? 100
            usleep(UInt32(milliseconds * 1000))
            return .text("slow \(milliseconds)")
        }
        router.add(.post, "/echo", execution: .worker) { request in
            HTTPResponse(
                status: 200, headers: ["Content-Type": "application/octet-stream"], body: request.body)
        }
        router.add(.get, "/items/{id}") { request in
            try .json(["id": request.pathParameters["id"] ?? "", "route": request.routePattern ?? ""])
        }
        router.add(.delete, "/items/{id}") { _ in HTTPResponse(status: 204) }
        router.add(.post, "/greetings") { request in
            let greeting = try request.decodeJSON(Greeting.self)
            return try .json(greeting, status: 201)
        }
        router.add(.post, "/form") { request in
            let form = try request.formParameters()
            return .text(form.map { "\($0.name)=\($0.value)" }.joined(separator: ";"))
        }
        router.add(.get, "/query") { request in
            .text(request.query.map { "\($0.name)=\($0.value)" }.joined(separator: ";"))
        }
        router.add(.get, "/fails") { _ in throw Failure() }
        router.add(.get, "/conflict") { _ in
            throw ProblemDetails(
                status: 409, detail: "Already resolved.",
                errors: [FieldError(field: "id", message: "resolved")])
        }
        router.add(.get, "/big", execution: .eventLoop) { request in
            let megabytes = Int(request.query["mb"] ?? "") ?? 1
            return HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: megabytes * 1024 * 1024))
        }
        router.add(.get, "/request-id", execution: .eventLoop) { request in .text(request.requestID) }
        router.add(.get, "/remote", execution: .eventLoop) { request in .text(request.remoteAddress) }
        router.add(.get, "/client", execution: .eventLoop) { request in .text(request.clientAddress) }
        return router
    }
}

/// A real server on 127.0.0.1 and a free port, stopped when the body returns.
enum TestServer {
    /// Every timeout at one second, for the timeout tests.
    static func shortTimeouts(_ configuration: inout HTTPServerConfiguration) {
        configuration.timeouts.header = .seconds(1)
        configuration.timeouts.idle = .seconds(1)
        configuration.timeouts.body = .seconds(1)
        configuration.timeouts.write = .seconds(1)
        configuration.timeouts.linger = .seconds(1)
    }

    /// Seconds since `start` (monotonic).
    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Polls `condition` every 10 ms for up to `timeout`.
    static func eventually(within timeout: Duration = .seconds(3), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    static func configuration() -> HTTPServerConfiguration {
        HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, eventLoopCount: 2, workerCount: 4, workerQueueCapacity: 64,
            accessLog: false)
    }

    static func with<Result>(
        _ configure: (inout HTTPServerConfiguration) -> Void = { _ in },
        responder: any HTTPResponder = TestRoutes.router(), middleware: [any HTTPMiddleware] = [],
        observer: (@Sendable (CompletedRequest) -> Void)? = nil,
        _ body: (HTTPServer, Int) throws -> Result
    ) throws -> Result {
        var configuration = configuration()
        configure(&configuration)
        let server = HTTPServer(
            configuration: configuration, responder: responder, middleware: middleware, logger: .disabled,
            observer: observer)
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            server.waitUntilStopped()
        }
        return try body(server, server.boundPort)
    }
}
