import Domain

/// How an event reads to a person, shared by mail subjects and Slack messages: a severity
/// label, the subject's ref and title, and what happened.
public struct EventHeadline: Sendable, Equatable {
    /// `SEV1`, `critical`, ... (nil for events without a severity).
    public var severity: String?
    /// `INC-42`, `ALR-7` (nil for subjects without a ref).
    public var ref: String?
    /// The incident's title, the alert's summary, ...
    public var title: String?
    /// `acknowledged by alice`, `status investigating → identified`, ...
    public var happened: String

    /// `[SEV1] INC-42 <title> — <what happened>` (SPEC §9's mail subject), parts left out when
    /// the event has none.
    public var line: String {
        var parts: [String] = []
        if let severity { parts.append("[\(severity)]") }
        if let ref { parts.append(ref) }
        if let title { parts.append(title) }
        if parts.isEmpty { return happened }
        return parts.joined(separator: " ") + " — " + happened
    }

    public init(_ event: Event) {
        severity = event.severity
        ref = event.subject.ref ?? event.data["incident"]?.stringValue
        title = event.data["title"]?.stringValue ?? event.data["summary"]?.stringValue
        happened = Self.happened(event)
    }

    /// An escalation step (SPEC §11): who it pages; or the policy running out; or the SLA job's
    /// breach.
    private static func escalated(_ data: [String: JSONValue]) -> String {
        guard data["reason"]?.stringValue == EscalationStepReport.reason else {
            return "not acknowledged in time: escalated"
        }
        if data["state"]?.stringValue == EscalationState.exhausted.rawValue {
            return "escalation exhausted: nobody acknowledged"
        }
        var step = "escalation step"
        if case .integer(let number) = data["step"] { step += " \(number)" }
        guard case .array(let paged) = data["paged"], !paged.isEmpty else {
            return data["no_one_on_call"] == .bool(true)
                ? "\(step): no one on call" : "\(step): paging channels"
        }
        let names = paged.compactMap { $0.objectValue?["name"]?.stringValue }
        return "\(step): paging \(names.joined(separator: ", "))"
    }

    private static func happened(_ event: Event) -> String {
        let data = event.data
        func text(_ key: String) -> String? { data[key]?.stringValue }
        switch EventType(rawValue: event.type) {
        case .alertTriggered:
            if data["deduplicated"] == .bool(true), case .integer(let count) = data["event_count"] {
                return "alert triggered again (\(count) events)"
            }
            return "alert triggered"
        case .alertAcknowledged: return "alert acknowledged by \(event.actor)"
        case .alertResolved: return "alert resolved by \(event.actor)"
        case .incidentOpened: return "incident opened"
        case .incidentUpdated: return "updated by \(event.actor)"
        case .incidentAcknowledged: return "acknowledged by \(event.actor)"
        case .incidentStatusChanged:
            return "status \(text("from") ?? "?") → \(text("to") ?? "?")"
        case .incidentEscalated: return escalated(data)
        case .incidentResolved: return "resolved by \(event.actor)"
        case .incidentNoteAdded: return "note by \(event.actor)"
        case .incidentStatusUpdate: return "status update by \(event.actor)"
        case .incidentUpdateDue: return "a public update is due"
        case .postmortemPublished: return "post-mortem published"
        case .deliveryDead: return "delivery \(event.subject.id.map(String.init) ?? "?") is dead"
        case .test: return "test event for channel \(text("channel") ?? "?")"
        case .heartbeatExpired: return "heartbeat expired"
        case .heartbeatRecovered: return "heartbeat recovered"
        case .maintenanceStarted: return "maintenance started"
        case .maintenanceEnded: return "maintenance ended"
        case nil: return event.type
        }
    }
}
