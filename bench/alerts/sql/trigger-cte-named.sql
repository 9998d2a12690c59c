-- The trigger as the native route sends it for a named service: trigger-cte.sql with the
-- service looked up inside the statement (AlertRepository.trigger(_:service: .name(...)), called
-- by AlertIngestion.triggerCounted), so no services SELECT before it. :service comes from
-- pgbench -D.
WITH upserted AS (
    INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                             first_seen_at, last_seen_at, updated_at)
    SELECT s.id, 'pgbench', 'bench alert', 'warning', @DEDUP_KEY@,
           '{}'::jsonb, '[]'::jsonb, now(), now(), now()
    FROM services s WHERE s.name = :service
    ON CONFLICT (service_id, dedup_key) WHERE status <> 'resolved' DO UPDATE SET
        event_count = a.event_count + 1,
        last_seen_at = GREATEST(a.last_seen_at, EXCLUDED.last_seen_at),
        summary = EXCLUDED.summary,
        details = EXCLUDED.details,
        links = CASE WHEN EXCLUDED.links = '[]'::jsonb THEN a.links ELSE EXCLUDED.links END,
        severity = CASE
            WHEN array_position(ARRAY['critical', 'error', 'warning', 'info'], EXCLUDED.severity)
               < array_position(ARRAY['critical', 'error', 'warning', 'info'], a.severity)
            THEN EXCLUDED.severity ELSE a.severity END,
        updated_at = EXCLUDED.updated_at
    RETURNING a.*, (a.xmax = 0) AS inserted
), entry AS (
    INSERT INTO timeline_entries (alert_id, service_id, kind, actor, body, data, occurred_at, created_at)
    SELECT u.id, u.service_id,
           CASE WHEN u.inserted THEN 'alert_triggered' ELSE 'alert_deduplicated' END,
           :actor,
           CASE WHEN u.inserted
                THEN 'ALR-' || u.id || ' triggered (' || u.severity || '): ' || u.summary
                ELSE 'ALR-' || u.id || ' triggered again (' || u.event_count || ' events): ' || u.summary
           END,
           CASE WHEN u.inserted
                THEN jsonb_build_object('alert', 'ALR-' || u.id, 'severity', u.severity)
                ELSE jsonb_build_object('alert', 'ALR-' || u.id, 'event_count', u.event_count)
           END,
           now(), now()
    FROM upserted u
)
SELECT a.id, a.service_id, s.name AS service_name, a.source, a.summary, a.severity, a.status, a.dedup_key,
       a.event_count, a.details, a.links, a.first_seen_at, a.last_seen_at, a.acknowledged_at,
       a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.incident_id, a.updated_at,
       a.inserted
FROM upserted a JOIN services s ON s.id = a.service_id;
