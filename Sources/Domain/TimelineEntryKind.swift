/// What a timeline entry records (SPEC §3 lists the core kinds). Stored as its raw value in
/// `timeline_entries.kind`.
public enum TimelineEntryKind: String, Sendable, CaseIterable, Codable {
    // Incident lifecycle.
    /// An incident was declared (by a person, or opened by a critical alert).
    case created
    /// The incident was acknowledged (starts "response initiated" in the post-mortem).
    case acknowledged
    /// The status moved; `data` holds `from` and `to` (see ``TimelineEntry/DataKey``).
    case statusChanged = "status_changed"
    /// A status update message (seed 003: Status / Impact / Lead / Next update).
    case statusUpdate = "status_update"
    /// The severity changed; `data` holds `from` and `to`.
    case severityChanged = "severity_changed"
    /// The commander changed; `data` holds `from` and `to`.
    case assigned
    /// Another field changed through PATCH; `data` holds `field`, `from` and `to`.
    case fieldChanged = "field_changed"
    /// The incident was resolved; the body is the resolution.
    case resolved
    /// A free-form note by a responder.
    case note
    /// The acknowledgement deadline passed unacknowledged (SPEC §3: written exactly once).
    case escalated

    // Alerts (on the alert's own timeline, and on its incident's when grouped).
    case alertTriggered = "alert_triggered"
    /// A trigger matched the open alert's dedup key: `event_count` went up.
    case alertDeduplicated = "alert_deduplicated"
    case alertAcknowledged = "alert_acknowledged"
    case alertResolved = "alert_resolved"
    /// An alert joined an incident (grouping or `POST /incidents/{id}/alerts`).
    case alertAttached = "alert_attached"
    /// The maintenance window that suppressed an open alert ended (SPEC §12): the alert was
    /// handled as if it had just triggered, or another window over its service took it over.
    case maintenanceEnded = "maintenance_ended"

    /// A change event (deploy marker, PagerDuty `/v2/change/enqueue`): context, never pages.
    case changeEvent = "change_event"

    // Post-mortems.
    case postmortemCreated = "postmortem_created"
    case postmortemStatusChanged = "postmortem_status_changed"
    case postmortemPublished = "postmortem_published"
    case actionItemAdded = "action_item_added"
    case actionItemUpdated = "action_item_updated"

    /// Kinds a client may write through `POST .../timeline`; every other kind is written by
    /// the server as a side effect of a state change.
    public static let clientWritable: Set<TimelineEntryKind> = [.note]
}
