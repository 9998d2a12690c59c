import Foundation

/// Uniform entries for every state change, so bodies read the same whichever route wrote them
/// and `data` always carries the keys of ``TimelineEntry/DataKey``.
extension NewTimelineEntry {
    private typealias Key = TimelineEntry.DataKey

    /// An incident was declared.
    public static func created(title: String, severity: IncidentSeverity, actor: String) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: .created, actor: actor, body: "\(severity.rawValue) incident declared: \(title)",
            data: ["severity": .string(severity.rawValue)])
    }

    /// The incident was acknowledged, optionally with a note.
    public static func acknowledged(actor: String, note: String?) -> NewTimelineEntry {
        NewTimelineEntry(kind: .acknowledged, actor: actor, body: note ?? "Acknowledged by \(actor)")
    }

    /// The status moved from `from` to `to`.
    public static func statusChanged(from: IncidentStatus, to: IncidentStatus, actor: String)
        -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .statusChanged, actor: actor,
            body: "Status changed from \(from.rawValue) to \(to.rawValue)",
            data: [Key.from: .string(from.rawValue), Key.to: .string(to.rawValue)])
    }

    /// A status update message, posted while the incident is `status`.
    public static func statusUpdate(status: IncidentStatus, message: String, actor: String)
        -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .statusUpdate, actor: actor, body: message, data: ["status": .string(status.rawValue)])
    }

    /// The severity changed (the SLA deadline is recomputed with it).
    public static func severityChanged(
        from: IncidentSeverity, to: IncidentSeverity, actor: String
    ) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: .severityChanged, actor: actor,
            body: "Severity changed from \(from.rawValue) to \(to.rawValue)",
            data: [Key.from: .string(from.rawValue), Key.to: .string(to.rawValue)])
    }

    /// The commander changed; nil means nobody.
    public static func assigned(from: String?, to: String?, actor: String) -> NewTimelineEntry {
        let body = to.map { "Commander is now \($0)" } ?? "Commander cleared"
        return NewTimelineEntry(
            kind: .assigned, actor: actor, body: body,
            data: [Key.from: from.map(JSONValue.string) ?? .null, Key.to: to.map(JSONValue.string) ?? .null])
    }

    /// A PATCHed text field (`title`, `summary`, `impact`) changed; nil means empty.
    public static func fieldChanged(field: String, from: String?, to: String?, actor: String)
        -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .fieldChanged, actor: actor, body: "Changed \(field)",
            data: [
                Key.field: .string(field), Key.from: from.map(JSONValue.string) ?? .null,
                Key.to: to.map(JSONValue.string) ?? .null,
            ])
    }

    /// The incident was resolved.
    public static func resolved(resolution: String?, actor: String) -> NewTimelineEntry {
        NewTimelineEntry(kind: .resolved, actor: actor, body: resolution ?? "Resolved by \(actor)")
    }

    /// A responder's note, possibly back-dated (validated by ``TimelineNote``).
    public static func note(_ note: TimelineNote, actor: String) -> NewTimelineEntry {
        NewTimelineEntry(kind: .note, actor: actor, body: note.body, occurredAt: note.occurredAt)
    }

    /// The acknowledgement deadline passed; written once by the SLA job.
    public static func escalated(severity: IncidentSeverity, ackDueAt: Date) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: .escalated,
            body: "Not acknowledged within the \(severity.rawValue) response time; escalated",
            data: [
                "severity": .string(severity.rawValue), "ack_due_at": .string(ackDueAt.formatted(.iso8601)),
            ])
    }

    /// An alert fired (first trigger of its dedup key).
    public static func alertTriggered(alert: EntityRef, summary: String, severity: AlertSeverity)
        -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .alertTriggered, body: "\(alert) triggered (\(severity.rawValue)): \(summary)",
            data: [Key.alert: .string(alert.description), "severity": .string(severity.rawValue)])
    }

    /// A repeated trigger was folded into the open alert.
    public static func alertDeduplicated(alert: EntityRef, eventCount: Int, summary: String)
        -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .alertDeduplicated, body: "\(alert) triggered again (\(eventCount) events): \(summary)",
            data: [Key.alert: .string(alert.description), "event_count": .integer(Int64(eventCount))])
    }

    /// An alert was acknowledged.
    public static func alertAcknowledged(alert: EntityRef, actor: String, note: String?) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: .alertAcknowledged, actor: actor, body: note ?? "\(alert) acknowledged by \(actor)",
            data: [Key.alert: .string(alert.description)])
    }

    /// An alert was resolved.
    public static func alertResolved(alert: EntityRef, actor: String, resolution: String?) -> NewTimelineEntry
    {
        NewTimelineEntry(
            kind: .alertResolved, actor: actor, body: resolution ?? "\(alert) resolved by \(actor)",
            data: [Key.alert: .string(alert.description)])
    }

    /// An alert joined an incident.
    public static func alertAttached(alert: EntityRef, summary: String, actor: String) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: .alertAttached, actor: actor, body: "\(alert) attached: \(summary)",
            data: [Key.alert: .string(alert.description)])
    }

    /// The post-mortem moved from `from` to `to` (`.postmortemPublished` when it was published).
    public static func postMortemStatusChanged(
        from: PostMortemStatus, to: PostMortemStatus, actor: String
    ) -> NewTimelineEntry {
        NewTimelineEntry(
            kind: to == .published ? .postmortemPublished : .postmortemStatusChanged, actor: actor,
            body: to == .published ? "Post-mortem published" : "Post-mortem moved to \(to.rawValue)",
            data: [Key.from: .string(from.rawValue), Key.to: .string(to.rawValue)])
    }
}
