/// What a timeline entry is about: an incident, an alert, a service, or several at once (an
/// alert's entry also shows on its service's timeline, and on its incident's when grouped).
/// At least one id is set (CHECK `timeline_entries_has_subject`).
public struct TimelineSubject: Sendable, Hashable {
    public var incidentID: Int64?
    public var alertID: Int64?
    public var serviceID: Int64?

    public init(incidentID: Int64? = nil, alertID: Int64? = nil, serviceID: Int64? = nil) {
        precondition(
            incidentID != nil || alertID != nil || serviceID != nil, "a timeline entry needs a subject")
        self.incidentID = incidentID
        self.alertID = alertID
        self.serviceID = serviceID
    }

    /// An incident's own entry.
    public static func incident(_ id: Int64) -> TimelineSubject { TimelineSubject(incidentID: id) }

    /// An alert's entry, also on its service's timeline.
    public static func alert(_ id: Int64, serviceID: Int64) -> TimelineSubject {
        TimelineSubject(alertID: id, serviceID: serviceID)
    }

    /// A service's entry (change events).
    public static func service(_ id: Int64) -> TimelineSubject { TimelineSubject(serviceID: id) }
}

/// Which timeline to list.
public enum TimelineScope: Sendable, Hashable {
    case incident(Int64)
    case alert(Int64)
    case service(Int64)
}
