/// The SQL the two trigger statements share (the single one, ``AlertRepository/trigger(_:service:actor:now:repeats:)``,
/// and the batch one, ``AlertRepository/triggerBatchStatements(_:)``), so the dedup rules and the
/// timeline text cannot drift apart. Both insert into `alerts AS a` and name the upserted rows `u`.
enum AlertTriggerSQL {
    /// SPEC §3 dedup: an open alert with the key counts the repeats (`EXCLUDED.event_count`: 1 for
    /// one trigger, k for k equal repeats), refreshes last_seen_at, summary, details and links
    /// (kept when the repeat sends none), and raises the severity, never lowers it (rank:
    /// critical < error < warning < info).
    static let onConflict: StaticString = """
        ON CONFLICT (service_id, dedup_key) WHERE status <> 'resolved' DO UPDATE SET
            event_count = a.event_count + EXCLUDED.event_count,
            last_seen_at = GREATEST(a.last_seen_at, EXCLUDED.last_seen_at),
            summary = EXCLUDED.summary,
            details = EXCLUDED.details,
            links = CASE WHEN EXCLUDED.links = '[]'::jsonb THEN a.links ELSE EXCLUDED.links END,
            severity = CASE
                WHEN array_position(ARRAY['critical', 'error', 'warning', 'info'], EXCLUDED.severity)
                   < array_position(ARRAY['critical', 'error', 'warning', 'info'], a.severity)
                THEN EXCLUDED.severity ELSE a.severity END,
            updated_at = EXCLUDED.updated_at
        """

    /// `kind, body, data` of the timeline entry for upserted row `u` (`u.inserted`: a new alert),
    /// as `NewTimelineEntry.alertTriggered` and `.alertDeduplicated` word them.
    static let timelineKindBodyData: StaticString = """
        CASE WHEN u.inserted THEN 'alert_triggered' ELSE 'alert_deduplicated' END,
        CASE WHEN u.inserted
             THEN 'ALR-' || u.id || ' triggered (' || u.severity || '): ' || u.summary
             ELSE 'ALR-' || u.id || ' triggered again (' || u.event_count || ' events): ' || u.summary
        END,
        CASE WHEN u.inserted
             THEN jsonb_build_object('alert', 'ALR-' || u.id, 'severity', u.severity)
             ELSE jsonb_build_object('alert', 'ALR-' || u.id, 'event_count', u.event_count)
        END
        """

    /// The `events` columns the trigger statements write, in the order of their values: the
    /// statement's own `occurred_at, actor`, then ``eventValues``.
    static let eventColumns: StaticString = """
        occurred_at, actor, type, subject_kind, subject_id, subject_ref, incident_id, service, service_ids,
        severity, data
        """

    /// The `alert.triggered` event (SPEC §8) of upserted row `u` (with `u.inserted`) of service
    /// `s`, after its `occurred_at, actor`, as `NewEvent.alert` words alert events. A repeat folded
    /// into the open alert is an `alert.triggered` too, with `deduplicated: true` and the new
    /// `event_count` (docs/NOTIFICATIONS.md): channels that want only new alerts filter on it.
    static let eventValues: StaticString = """
        'alert.triggered', 'alert', u.id, 'ALR-' || u.id, u.incident_id, s.name, ARRAY[u.service_id],
        u.severity,
        jsonb_build_object('summary', u.summary, 'source', u.source, 'status', u.status,
                           'dedup_key', u.dedup_key, 'event_count', u.event_count,
                           'deduplicated', NOT u.inserted, 'incident', 'INC-' || u.incident_id)
        """

    /// What the event CTE (`ev`) returns, for ``EventFanOutSQL/deliveries``.
    static let eventReturning: StaticString = "RETURNING id, type, service_ids, severity, data"
}
