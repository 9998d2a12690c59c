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

    init(
        request: HTTPRequest, principal: Principal, connection: PostgresConnection,
        environment: APIEnvironment
    ) {
        self.request = request
        self.principal = principal
        self.connection = connection
        self.environment = environment
        self.now = environment.clock()
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
