import Foundation

/// Uniform events for every state change, so an event reads the same whichever route (native,
/// runbook, PagerDuty, Alertmanager, chat, background job) made the change. `data` always
/// carries the subject's headline fields (an alert's `summary`, an incident's `title` and
/// `status`) plus what the change itself was.
extension NewEvent {
    /// An alert event: `alert.acknowledged`, `alert.resolved` (triggers are written by the
    /// trigger statements themselves, `AlertTriggerSQL`, with the same keys).
    public static func alert(
        _ type: EventType, _ alert: Alert, serviceID: Int64, actor: String, extra: [String: JSONValue] = [:]
    ) -> NewEvent {
        var data: [String: JSONValue] = [
            "summary": .string(alert.summary), "source": .string(alert.source),
            "status": .string(alert.status.rawValue), "dedup_key": .string(alert.dedupKey),
            "event_count": .integer(Int64(alert.eventCount)),
            "incident": alert.incidentID.map { .string(EntityRef.incident($0).description) } ?? .null,
        ]
        data.merge(extra) { _, new in new }
        return NewEvent(
            type: type, actor: actor, subject: .alert(alert.id), incidentID: alert.incidentID,
            services: .one(id: serviceID, name: alert.service), severity: alert.severity.rawValue, data: data)
    }

    /// An incident event about `incident` as it stands after the change.
    public static func incident(
        _ type: EventType, _ incident: Incident, actor: String, extra: [String: JSONValue] = [:]
    ) -> NewEvent {
        var data: [String: JSONValue] = [
            "title": .string(incident.title), "status": .string(incident.status.rawValue),
            "commander": incident.commander.map(JSONValue.string) ?? .null,
            "services": .array(incident.services.map(JSONValue.string)),
        ]
        data.merge(extra) { _, new in new }
        return NewEvent(
            type: type, actor: actor, subject: .incident(incident.id), incidentID: incident.id,
            services: .ofIncident(incident.id), severity: incident.severity.rawValue, data: data)
    }

    /// `postmortem.published` for post-mortem `postMortemID` of `incident`.
    public static func postMortemPublished(postMortemID: Int64, incident: Incident, actor: String) -> NewEvent
    {
        NewEvent(
            type: .postmortemPublished, actor: actor, subject: .postMortem(postMortemID),
            incidentID: incident.id,
            services: .ofIncident(incident.id), severity: incident.severity.rawValue,
            data: [
                "incident": .string(incident.ref.description), "title": .string(incident.title),
            ])
    }

    /// `delivery.dead` (SPEC §14): subject the delivery, `data` with `channel_id`, `event_id`,
    /// `last_status`, `last_error`; a page's also `contact_method_id` (its `channel_id` null).
    public static func deliveryDead(
        deliveryID: Int64, channelID: Int64?, contactMethodID: Int64? = nil, eventID: Int64, lastStatus: Int?,
        lastError: String?
    ) -> NewEvent {
        var data: [String: JSONValue] = [
            "channel_id": channelID.map(JSONValue.integer) ?? .null, "event_id": .integer(eventID),
            "last_status": lastStatus.map { .integer(Int64($0)) } ?? .null,
            "last_error": lastError.map(JSONValue.string) ?? .null,
        ]
        if let contactMethodID { data["contact_method_id"] = .integer(contactMethodID) }
        return NewEvent(
            type: .deliveryDead, actor: TimelineEntry.systemActor, subject: .delivery(deliveryID), data: data)
    }

    /// The `test` event of `POST /channels/{id}/test`.
    public static func channelTest(channelID: Int64, channelName: String, actor: String) -> NewEvent {
        NewEvent(
            type: .test, actor: actor, subject: .channel(channelID),
            data: [
                "channel": .string(channelName),
                "message": .string("Test event from incidentd for channel \(channelName)"),
            ])
    }
}
