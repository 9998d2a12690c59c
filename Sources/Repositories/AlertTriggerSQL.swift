/// The SQL the two trigger statements share (the single one, ``AlertRepository/trigger(_:service:actor:now:repeats:)``,
/// and the batch one, ``AlertRepository/triggerBatchStatements(_:)``), so the dedup rules and the
/// timeline text cannot drift apart. Both insert into `alerts AS a` and name the upserted rows `u`.
enum AlertTriggerSQL {
    /// SPEC §3 dedup: an open alert with the key counts the repeats (`EXCLUDED.event_count`: 1 for
    /// one trigger, k for k equal repeats), refreshes last_seen_at, summary, details and links
    /// (kept when the repeat sends none), and raises the severity, never lowers it (rank:
    /// critical < error < warning < info).
    ///
    /// SPEC §12 suppression (`EXCLUDED.suppressed_by`: the window ``activeWindow`` found, or
    /// null): a repeat during a window holds back an open alert that is in no incident (a warning
    /// from before the window raised to critical must not open one now); a repeat after the
    /// window that held the alert back ends the hold, and the caller's grouping handles the
    /// alert as the transition job would have. An alert already in an incident stays as it is.
    /// A repeat that changes neither keeps both columns as they were (a HOT update).
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
            updated_at = EXCLUDED.updated_at,
            suppressed_by = CASE WHEN EXCLUDED.suppressed_by IS NOT NULL AND a.incident_id IS NULL
                                 THEN EXCLUDED.suppressed_by ELSE a.suppressed_by END,
            suppression_ended_at = CASE
                WHEN EXCLUDED.suppressed_by IS NOT NULL AND a.incident_id IS NULL THEN NULL
                WHEN a.suppressed_by IS NOT NULL AND a.suppression_ended_at IS NULL THEN EXCLUDED.updated_at
                ELSE a.suppression_ended_at END
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

    /// A lateral subquery `mw(id)`: the maintenance window whose current period covers service
    /// `s.id` at `mw_at.at` (SPEC §12), skipping window `mw_at.skip` (0: none), or no row. Of
    /// several, the one ending last, so the alert is held back once rather than handed from
    /// window to window. The caller provides `s` and `mw_at(at, skip)`.
    ///
    /// Cheap on the ingest path: `maintenance_windows_live` holds only windows not yet over
    /// (usually none or a handful), and the service check is a filter on those rows' arrays
    /// (docs/MAINTENANCE.md has the EXPLAIN ANALYZE figures).
    static let activeWindow: StaticString = """
        LEFT JOIN LATERAL (
            SELECT w.id FROM maintenance_windows w
            WHERE w.finished_at IS NULL AND w.next_ends_at > mw_at.at AND w.next_starts_at <= mw_at.at
              AND w.id <> mw_at.skip
              AND (w.all_services OR s.id = ANY (w.service_ids))
            ORDER BY w.next_ends_at DESC, w.id
            LIMIT 1
        ) mw ON true
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
                           'deduplicated', NOT u.inserted, 'incident', 'INC-' || u.incident_id,
                           'suppressed_by', CASE WHEN u.suppression_ended_at IS NULL THEN 'MW-' || u.suppressed_by END)
        """

    /// What the event CTE (`ev`) returns, for ``EventFanOutSQL/deliveries``.
    static let eventReturning: StaticString = "RETURNING id, type, service_ids, severity, data"
}
