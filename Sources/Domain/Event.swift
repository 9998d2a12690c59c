import Foundation

/// One event of the log as stored (SPEC §8): `{id, type, occurred_at, actor, subject, service,
/// severity, data}`.
public struct Event: Sendable, Hashable {
    public var id: Int64
    /// The stored type: a known ``EventType`` raw value (kept as text so a row written by a newer
    /// version still reads).
    public var type: String
    public var occurredAt: Date
    public var actor: String
    public var subject: EventSubject
    public var incidentID: Int64?
    /// The service name shown (SPEC §14), or nil.
    public var service: String?
    public var serviceIDs: [Int64]
    public var severity: String?
    public var data: [String: JSONValue]

    public init(
        id: Int64, type: String, occurredAt: Date, actor: String, subject: EventSubject, incidentID: Int64?,
        service: String?, serviceIDs: [Int64], severity: String?, data: [String: JSONValue]
    ) {
        self.id = id
        self.type = type
        self.occurredAt = occurredAt
        self.actor = actor
        self.subject = subject
        self.incidentID = incidentID
        self.service = service
        self.serviceIDs = serviceIDs
        self.severity = severity
        self.data = data
    }
}
