import Crypto
import Foundation
import HTTPServer
import Log
import Postgres
import Repositories

/// Turns the route table into an `HTTPServer.Router`, wrapping every handler with the things
/// that must happen the same way everywhere: authentication and roles (issue 4), one
/// transaction per mutating request with its audit row and idempotency record (ADR 0002), and
/// error mapping; then wraps the router with the polling features every JSON GET gets (ETag,
/// 304, gzip, CORS; SPEC §4 "Polling", issue 6).
public enum APIRouter {
    public static func make(routes: [APIRoute], environment: APIEnvironment) -> PollingResponder<Router> {
        let polling = PollingConfiguration(
            cors: CORSPolicy(allowedOrigins: environment.settings.corsAllowedOrigins))
        let router = makeRouter(routes: routes, environment: environment)
        return PollingResponder(wrapping: router, configuration: polling)
    }

    /// The route table as a router, without the polling wrapper.
    static func makeRouter(routes: [APIRoute], environment: APIEnvironment) -> Router {
        let logger = environment.logger
        var router = Router { error, request in
            .problem(ProblemMapping.problem(for: error, request: request, logger: logger))
        }
        for route in routes {
            router.add(route.method, route.pattern, execution: route.execution) { request in
                try handle(request, route: route, environment: environment)
            }
        }
        return router
    }

    static func handle(_ request: HTTPRequest, route: APIRoute, environment: APIEnvironment) throws
        -> HTTPResponse
    {
        switch route.handler {
        case .plain(let handler):
            return try handler(request)
        case .environment(let handler):
            return try handler(request, environment)
        case .database(let handler):
            // The checks that need no database come first; a refusal there never borrows a
            // connection.
            let token = try presentedToken(request, route: route, environment: environment)
            let runner = TransactionRunner(request: request, environment: environment)
            // One pool checkout per request: the key is looked up on the connection the handler
            // then uses (issue 5 performance). Refusals and failures are settled after the
            // connection went back, since auditing them borrows one of its own.
            let outcome = try environment.pool.withConnection { connection -> DatabaseOutcome in
                let principal: Principal
                if let token {
                    do {
                        principal = try credentials(
                            token, access: route.access, connection: connection, now: environment.clock())
                    } catch let failure as Authenticator.Failure {
                        return .unauthenticated(failure)
                    }
                    guard allows(route.access, principal) else { return .forbidden(principal) }
                } else {
                    principal = .anonymous
                }
                guard route.isMutating else {
                    return .answered(
                        try handler(
                            RequestContext(
                                request: request, principal: principal, connection: connection,
                                environment: environment)))
                }
                do {
                    return .answered(try runner.runOnce(principal: principal, handler, on: connection))
                } catch let error as PostgresError where TransactionRunner.isWorthRetrying(error) {
                    return .retry(principal)
                } catch {
                    return .failed(principal, error)
                }
            }
            switch outcome {
            case .answered(let response):
                return response
            case .unauthenticated(let failure):
                try refuse(request, failure, environment: environment)
            case .forbidden(let principal):
                try audit(request, principal: principal, status: 403, environment: environment)
                throw ProblemDetails(status: 403, detail: forbiddenDetail(route.access, principal))
            case .retry(let principal):
                // The first attempt rolled back (serialization failure, deadlock, or a connection
                // lost before COMMIT): the pool's retry loop runs the whole handler again.
                return try runner.run(principal: principal, handler)
            case .failed(let principal, let error):
                return try runner.settle(principal: principal) { throw error }
            }
        }
    }

    /// What happened on the request's connection, settled once the connection is back.
    private enum DatabaseOutcome {
        case answered(HTTPResponse)
        case unauthenticated(Authenticator.Failure)
        case forbidden(Principal)
        case retry(Principal)
        case failed(Principal, any Error)
    }

    /// The bearer token a route needs (nil for routes that take none), after the checks that
    /// need no database: throws 429 for an address over its failure budget, 401 (audited) for
    /// a missing or malformed Authorization header.
    static func presentedToken(_ request: HTTPRequest, route: APIRoute, environment: APIEnvironment) throws
        -> String?
    {
        if route.access == .open || route.access == .credentialsInRequest { return nil }
        let address = clientAddress(request)
        if let retryAfter = environment.authFailures.retryAfter(address: address, now: environment.clock()) {
            var headers = HTTPHeaders()
            headers.set(name: "Retry-After", value: String(retryAfter))
            throw ProblemDetails(
                status: 429, detail: "Too many failed authentications from this address; retry later.",
                headers: headers)
        }
        do {
            guard let token = try Authenticator.bearerToken(request) else {
                throw Authenticator.Failure.missing
            }
            return token
        } catch let failure as Authenticator.Failure {
            try refuse(request, failure, environment: environment)
        }
    }

    /// Counts a failed authentication against the caller's address, audits it and throws the
    /// 401 problem.
    static func refuse(_ request: HTTPRequest, _ failure: Authenticator.Failure, environment: APIEnvironment)
        throws -> Never
    {
        environment.authFailures.recordFailure(address: clientAddress(request), now: environment.clock())
        try audit(request, principal: .anonymous, status: 401, environment: environment)
        var headers = HTTPHeaders()
        headers.set(name: "WWW-Authenticate", value: "Bearer realm=\"incidentd\"")
        throw ProblemDetails(status: 401, detail: failure.detail, headers: headers)
    }

    /// Looks the token up as the kind of credential the route takes.
    static func credentials(_ token: String, access: Access, connection: PostgresConnection, now: Date) throws
        -> Principal
    {
        switch access {
        case .routingKey:
            return try Authenticator.routingKey(token, connection: connection)
        case .roleOrRoutingKey:
            if KeyFormat.apiKeyID(of: token) != nil {
                return try Authenticator.apiKey(token, connection: connection, now: now)
            }
            return try Authenticator.routingKey(token, connection: connection)
        case .role, .open, .credentialsInRequest:
            return try Authenticator.apiKey(token, connection: connection, now: now)
        }
    }

    static func allows(_ access: Access, _ principal: Principal) -> Bool {
        switch (access, principal) {
        case (.open, _), (.credentialsInRequest, _): true
        case (.role(let needed), .apiKey(_, _, let role)): role >= needed
        case (.roleOrRoutingKey(let needed), .apiKey(_, _, let role)): role >= needed
        case (.roleOrRoutingKey, .routingKey), (.routingKey, .routingKey): true
        default: false
        }
    }

    static func forbiddenDetail(_ access: Access, _ principal: Principal) -> String {
        switch (access, principal) {
        case (.role(let needed), .apiKey(_, _, let role)),
            (.roleOrRoutingKey(let needed), .apiKey(_, _, let role)):
            "This action needs the \(needed.rawValue) role; the key has \(role.rawValue)."
        case (_, .routingKey):
            "A routing key can only send alerts to its service."
        default:
            "This route needs a routing key."
        }
    }

    /// The address failures are counted against: the peer's IP, without its port.
    static func clientAddress(_ request: HTTPRequest) -> String {
        let address = request.remoteAddress
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") {
            return String(address[..<colon])
        }
        return address
    }

    /// Writes one audit row on its own (requests refused before any business work).
    static func audit(_ request: HTTPRequest, principal: Principal, status: Int, environment: APIEnvironment)
        throws
    {
        let entry = auditEntry(request, principal: principal, status: status, now: environment.clock())
        do {
            try environment.pool.withConnection { try AuditRepository($0).record(entry) }
        } catch let error as PostgresError where error.isUnavailable {
            // The refusal stands even when the database is away; the log keeps the trace.
            environment.logger.warning(
                "audit_write_failed",
                ["request_id": .string(request.requestID), "error": .string(error.description)])
        }
    }

    static func auditEntry(_ request: HTTPRequest, principal: Principal, status: Int, now: Date) -> AuditEntry
    {
        AuditEntry(
            occurredAt: now, actorKind: principal.auditKind, actorID: principal.auditID,
            actorName: principal.actorName,
            action: "\(request.method.rawValue) \(request.routePattern ?? request.path)",
            target: request.path,
            remoteAddress: clientAddress(request), requestID: request.requestID, status: status)
    }
}
