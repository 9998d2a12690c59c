/// An event about to be appended to the log (SPEC §8): everything but the id, the time and the
/// writing transaction, which the repository supplies. Build one with the factories in
/// `NewEvent+Factories.swift`, so every route words the same change the same way.
public struct NewEvent: Sendable, Hashable {
    public var type: EventType
    public var actor: String
    public var subject: EventSubject
    /// The incident the event is about (its own, or its alert's): email threads follow it.
    public var incidentID: Int64?
    public var services: Services
    /// SPEC §14: the incident's SEV or the alert's severity; nil for neither.
    public var severity: String?
    public var data: [String: JSONValue]

    /// Which services an event concerns: the one it shows as `service` and every one channel
    /// filters match against.
    public enum Services: Sendable, Hashable {
        /// No service (`test`, `delivery.dead`).
        case none
        /// One service (an alert's).
        case one(id: Int64, name: String)
        /// The incident's services as they stand when the event is written (it shows the first
        /// by name).
        case ofIncident(Int64)
    }

    public init(
        type: EventType, actor: String, subject: EventSubject, incidentID: Int64? = nil,
        services: Services = .none, severity: String? = nil, data: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.actor = actor
        self.subject = subject
        self.incidentID = incidentID
        self.services = services
        self.severity = severity
        self.data = data
    }
}
