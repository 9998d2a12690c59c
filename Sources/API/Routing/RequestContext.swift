import Domain
import Foundation
import HTTPServer
import Postgres

/// Everything a database handler gets for one request. Lives on one worker thread only.
public final class RequestContext {
    public let request: HTTPRequest
    /// Set by the router from the credentials; a `.credentialsInRequest` handler sets it itself.
    public var principal: Principal
    /// In a transaction for mutating routes (ADR 0002): pass it to repositories.
    public let connection: PostgresConnection
    public let environment: APIEnvironment
    /// One clock reading per request, so every row it writes agrees on "now".
    public let now: Date
    /// Set by ``allowCaching(until:)``: the answer may be served from ``ResponseCache``.
    private(set) var isCacheable = false
    private(set) var cacheLimit: Date?

    init(
        request: HTTPRequest, principal: Principal, connection: PostgresConnection,
        environment: APIEnvironment, now: Date
    ) {
        self.request = request
        self.principal = principal
        self.connection = connection
        self.environment = environment
        self.now = now
    }

    /// Lets a read handler's 200 answer be kept in ``ResponseCache`` and served to the same
    /// request target until a write, its time to live, or `limit` (when the answer would change
    /// with time alone, e.g. an SLA deadline passing). Only for answers that depend on nothing
    /// but the target and the database: not on the caller, not on request headers.
    public func allowCaching(until limit: Date?) {
        isCacheable = true
        if let limit, cacheLimit.map({ limit < $0 }) ?? true { cacheLimit = limit }
    }

    /// The path parameter `name` (declared in the route pattern).
    public func pathParameter(_ name: String) throws -> String {
        guard let value = request.pathParameters[name], !value.isEmpty else {
            throw ProblemDetails(status: 404, detail: "The path has no \(name).")
        }
        return value
    }

    /// The actor to record on timelines: the name the caller gave (`by`, `user`), else the key's name.
    public func actor(_ given: String?) -> String {
        if let given = given?.trimmingCharacters(in: .whitespacesAndNewlines), !given.isEmpty {
            return String(given.prefix(200))
        }
        return principal.actorName
    }
}
