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
    public static func make(routes: [APIRoute], environment: APIEnvironment)
        -> PollingResponder<CachedReadResponder>
    {
        let polling = PollingConfiguration(
            cors: CORSPolicy(allowedOrigins: environment.settings.corsAllowedOrigins))
        let router = makeRouter(routes: routes, environment: environment)
        return PollingResponder(
            wrapping: CachedReadResponder(wrapping: router, environment: environment), configuration: polling)
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
            let known = token.flatMap { cachedPrincipal($0, access: route.access, environment: environment) }
            let cacheKey = route.isMutating ? nil : responseCacheKey(request)
            if let known, allows(route.access, known), let cacheKey,
                let cached = environment.responses.hit(for: cacheKey, now: environment.clock())
            {
                // A dashboard poll that finds nothing changed: no connection, no render.
                return cached.response
            }
            guard route.isMutating else {
                return try read(
                    request, route: route, token: token, known: known, cacheKey: cacheKey, handler,
                    environment: environment)
            }
            // After COMMIT, before the answer goes out: this process's readers see the write
            // (ADR 0003). Also after a failure: cheap, and a rolled-back write changed nothing.
            defer {
                environment.responses.invalidateAll()
                if route.changesCredentials { environment.credentials.invalidateAll() }
            }
            let runner = TransactionRunner(request: request, environment: environment)
            if let groupCommit = route.groupCommit, let known, allows(route.access, known),
                !request.headers.contains("Idempotency-Key")
            {
                let call = GroupCommitRequest(
                    request: request, principal: known, environment: environment, now: environment.clock())
                // A handler's own 401/403 (a routing key naming another service) is audited as on
                // the usual path (SPEC §5).
                if let answer = try runner.auditingRefusals(principal: known, { try groupCommit(call) }) {
                    return answer
                }
            }
            // One pool checkout per request: the key is looked up on the connection the handler
            // then uses (issue 5 performance). Refusals and failures are settled after the
            // connection went back, since auditing them borrows one of its own.
            let outcome = try environment.pool.withConnection { connection -> DatabaseOutcome in
                let principal: Principal
                switch try authenticate(
                    token, known: known, access: route.access, connection: connection,
                    environment: environment)
                {
                case .refused(let outcome): return outcome
                case .allowed(let allowed): principal = allowed
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
            case .retry(let principal):
                // The first attempt rolled back (serialization failure, deadlock, or a connection
                // lost before COMMIT): the pool's retry loop runs the whole handler again.
                return try runner.run(principal: principal, handler)
            case .failed(let principal, let error):
                return try runner.settle(principal: principal) { throw error }
            case .unauthenticated, .forbidden:
                try settleRefusal(outcome, request: request, route: route, environment: environment)
            }
        }
    }

    /// A read route: authenticate (unless the cache already did), then the answer from the
    /// response cache or the handler, storing what the handler allows to be cached.
    private static func read(
        _ request: HTTPRequest, route: APIRoute, token: String?, known: Principal?, cacheKey: String?,
        _ handler: @Sendable (RequestContext) throws -> HTTPResponse, environment: APIEnvironment
    ) throws -> HTTPResponse {
        let outcome = try environment.pool.withConnection { connection -> DatabaseOutcome in
            let principal: Principal
            switch try authenticate(
                token, known: known, access: route.access, connection: connection, environment: environment)
            {
            case .refused(let outcome): return outcome
            case .allowed(let allowed): principal = allowed
            }
            let cache = environment.responses
            if let cacheKey, let cached = cache.hit(for: cacheKey, now: environment.clock()) {
                return .answered(cached.response)
            }
            let generation = cache.generationForRender()
            let context = RequestContext(
                request: request, principal: principal, connection: connection, environment: environment)
            var response = try handler(context)
            if let cacheKey, context.isCacheable, response.status == 200 {
                // Tagged once here, so neither a cached 200 nor a 304 hashes the body again.
                response.setContentHashTag()
                // Served later without the router, which sets this on the way out.
                response.routePattern = request.routePattern
                cache.store(
                    response, access: route.access, for: cacheKey, generation: generation,
                    renderedAt: context.now,
                    limit: context.cacheLimit)
            }
            return .answered(response)
        }
        guard case .answered(let response) = outcome else {
            try settleRefusal(outcome, request: request, route: route, environment: environment)
        }
        return response
    }

    /// What ``authenticate(_:known:access:connection:environment:)`` decided.
    private enum Authentication {
        case allowed(Principal)
        case refused(DatabaseOutcome)
    }

    /// The caller, from the credential cache or the database (storing what the database says),
    /// checked against the route's access.
    private static func authenticate(
        _ token: String?, known: Principal?, access: Access, connection: PostgresConnection,
        environment: APIEnvironment
    ) throws -> Authentication {
        guard let token else { return .allowed(.anonymous) }
        let principal: Principal
        if let known {
            principal = known
        } else {
            let generation = environment.credentials.generationForLookup()
            let now = environment.clock()
            let checked: Authenticator.Checked
            do {
                checked = try credentials(token, access: access, connection: connection, now: now)
            } catch let failure as Authenticator.Failure {
                return .refused(.unauthenticated(failure))
            }
            if let generation {
                environment.credentials.store(
                    tokenHash: KeyFormat.hash(token), principal: checked.principal,
                    validUntil: checked.trustUntil, generation: generation)
            }
            principal = checked.principal
        }
        guard allows(access, principal) else { return .refused(.forbidden(principal)) }
        return .allowed(principal)
    }

    /// The principal the credential cache vouches for, if it may stand for this kind of route:
    /// a routing key is never taken for an API key or the other way round, so a cached key
    /// gets the same 401 on the wrong kind of route as an uncached one.
    static func cachedPrincipal(_ token: String, access: Access, environment: APIEnvironment) -> Principal? {
        guard
            let principal = environment.credentials.principal(
                tokenHash: KeyFormat.hash(token), now: environment.clock())
        else { return nil }
        switch (access, principal) {
        case (.role, .apiKey), (.roleOrRoutingKey, .apiKey), (.roleOrRoutingKey, .routingKey),
            (.routingKey, .routingKey):
            return principal
        default:
            return nil
        }
    }

    /// The response cache's key: the request-target as sent (HEAD shares GET's answers).
    static func responseCacheKey(_ request: HTTPRequest) -> String {
        request.target
    }

    /// Answers a refusal decided on the request's connection, once it is back in the pool.
    private static func settleRefusal(
        _ outcome: DatabaseOutcome, request: HTTPRequest, route: APIRoute, environment: APIEnvironment
    ) throws -> Never {
        switch outcome {
        case .unauthenticated(let failure):
            try refuse(request, failure, environment: environment)
        case .forbidden(let principal):
            try audit(request, principal: principal, status: 403, environment: environment)
            throw ProblemDetails(status: 403, detail: forbiddenDetail(route.access, principal))
        case .answered, .retry, .failed:
            preconditionFailure("settleRefusal called with \(outcome)")
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
        -> Authenticator.Checked
    {
        switch access {
        case .routingKey:
            return try Authenticator.checkRoutingKey(token, connection: connection, now: now)
        case .roleOrRoutingKey:
            if KeyFormat.apiKeyID(of: token) != nil {
                return try Authenticator.checkAPIKey(token, connection: connection, now: now)
            }
            return try Authenticator.checkRoutingKey(token, connection: connection, now: now)
        case .role, .open, .credentialsInRequest:
            return try Authenticator.checkAPIKey(token, connection: connection, now: now)
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
