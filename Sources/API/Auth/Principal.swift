/// Who is making a request, once the credentials have been checked.
public enum Principal: Sendable, Equatable {
    /// An API key of a person or a bot.
    case apiKey(id: Int64, name: String, role: Role)
    /// An integration's routing key: may only send alerts to its own service (`serviceName`,
    /// read with the key; a rename notifies the credential cache, migration 0006), and only
    /// through the routes of its integration's `kind` (``AlertIngestion/routeKinds``).
    case routingKey(integrationID: Int64, serviceID: Int64, serviceName: String, name: String, kind: String)
    /// No credentials needed (health, metrics) or none checked yet.
    case anonymous

    /// The name recorded as actor in the audit log and, by default, on timelines.
    public var actorName: String {
        switch self {
        case .apiKey(_, let name, _): name
        case .routingKey(_, _, _, let name, _): name
        case .anonymous: "anonymous"
        }
    }

    /// `actor_kind` of the audit log.
    var auditKind: String {
        switch self {
        case .apiKey: "api_key"
        case .routingKey: "routing_key"
        case .anonymous: "anonymous"
        }
    }

    var auditID: Int64? {
        switch self {
        case .apiKey(let id, _, _): id
        case .routingKey(let id, _, _, _, _): id
        case .anonymous: nil
        }
    }

    /// The role of an API key; routing keys and anonymous callers have none.
    public var role: Role? {
        if case .apiKey(_, _, let role) = self { return role }
        return nil
    }
}
