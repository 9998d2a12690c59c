/// What `GET /events` may filter on (SPEC §8); empty arrays and nil mean "any".
public struct EventListFilter: Sendable, Hashable {
    /// Resume after this event (its id): only events after it in the log order.
    public var after: Int64?
    /// Type filters as channels take them: a type, `family.*` or `*`.
    public var types: [String]
    /// Only events concerning this service (an incident event concerns each of its services).
    public var serviceID: Int64?

    public init(after: Int64? = nil, types: [String] = [], serviceID: Int64? = nil) {
        self.after = after
        self.types = types
        self.serviceID = serviceID
    }
}
