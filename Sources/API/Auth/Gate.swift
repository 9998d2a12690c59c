import Foundation
import Postgres

/// The one authorization gate (issue 4): which credential may stand for a route's `Access`,
/// whether a caller may call it, and how a key is looked up. Both phases of the pipeline ask
/// it: the event loop with the credential cache's principal, the worker with the database's.
enum Gate {
    /// Whether `principal` may call a route with `access`.
    static func allows(_ access: Access, _ principal: Principal) -> Bool {
        switch (access, principal) {
        case (.open, _), (.credentialsInRequest, _): true
        case (.role(let needed), .apiKey(_, _, let role)): role >= needed
        case (.roleOrRoutingKey(let needed), .apiKey(_, _, let role)): role >= needed
        case (.roleOrRoutingKey, .routingKey), (.routingKey, .routingKey): true
        default: false
        }
    }

    /// Whether `access` needs an `Authorization` header at all.
    static func needsToken(_ access: Access) -> Bool {
        access != .open && access != .credentialsInRequest
    }

    /// The principal the credential cache vouches for, if it may stand for this kind of route:
    /// a routing key is never taken for an API key or the other way round, so a cached key
    /// gets the same 401 on the wrong kind of route as an uncached one.
    static func cachedPrincipal(_ token: String, access: Access, cache: CredentialCache, now: Date)
        -> Principal?
    {
        guard let principal = cache.principal(tokenHash: KeyFormat.hash(token), now: now) else { return nil }
        switch (access, principal) {
        case (.role, .apiKey), (.roleOrRoutingKey, .apiKey), (.roleOrRoutingKey, .routingKey),
            (.routingKey, .routingKey):
            return principal
        default:
            return nil
        }
    }

    /// Looks the token up in the database as the kind of credential the route takes.
    static func lookUp(_ token: String, access: Access, connection: PostgresConnection, now: Date) throws
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

    /// The 403 detail for a caller the gate refused.
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
}
