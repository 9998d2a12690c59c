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
    /// What this write changed beyond its route's declaration.
    private let changes: ResourceChanges

    init(
        request: HTTPRequest, principal: Principal, connection: PostgresConnection,
        environment: APIEnvironment, now: Date, changes: ResourceChanges
    ) {
        self.request = request
        self.principal = principal
        self.connection = connection
        self.environment = environment
        self.now = now
        self.changes = changes
    }

    /// Tells the response cache that this write also changed `families`, beyond what its route
    /// declares in `Routes.swift` (ADR 0006): an alert trigger that opened or joined an
    /// incident, or created its service. Call it for what the work did, whether or not it then
    /// commits (a report from work that rolled back only costs a cache miss).
    public func changed(_ families: ResourceFamilies) {
        changes.add(families)
    }

    /// Lets a read handler's 200 answer be kept in ``ResponseCache`` and served to the same
    /// request target until a write changes a family its route reads (`reads:` in
    /// `Routes.swift`), its time to live, or `limit` (when the answer would change with time
    /// alone, e.g. an SLA deadline passing). Only for answers that depend on nothing but the
    /// target and the database: not on the caller, not on request headers, and nothing that
    /// changes without a write reporting it (an API key's `last_used_at` changes on reads).
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
