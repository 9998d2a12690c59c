-- The same trigger as two statements in an explicit transaction: BEGIN, the upsert, the
-- timeline row, COMMIT (four round trips instead of one). Same placeholders as trigger-cte.sql.
BEGIN;
INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                         first_seen_at, last_seen_at, updated_at)
VALUES (:sid, 'pgbench', 'bench alert', 'warning', @DEDUP_KEY@,
        '{}'::jsonb, '[]'::jsonb, now(), now(), now())
@ON_CONFLICT@
RETURNING a.id AS alert_id, a.severity AS alert_severity \gset
INSERT INTO timeline_entries (alert_id, service_id, kind, actor, body, data, occurred_at, created_at)
VALUES (:alert_id, :sid, 'alert_triggered', :actor,
        'ALR-' || :alert_id::text || ' triggered (' || :alert_severity || '): bench alert',
        jsonb_build_object('alert', 'ALR-' || :alert_id::text, 'severity', :alert_severity::text), now(), now());
COMMIT;
