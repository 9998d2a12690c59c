-- Not what incidentd does today: a sketch of the whole request in ONE statement (one round
-- trip, autocommit), to measure what fusing would save. The key check moves into SQL (the key
-- by key_id, its SHA-256 compared as bytea, not revoked, not expired, role allowed), the
-- service lookup and the audit row become parts of the statement; a request it refuses
-- inserts nothing, and the server would then look up why (the rare path). :keyhash is the hex
-- SHA-256 of the whole key (KeyFormat.hash).
WITH k AS (
    SELECT id FROM api_keys
    WHERE key_id = :keyid AND secret_hash = decode(:keyhash, 'hex') AND revoked_at IS NULL
      AND (expires_at IS NULL OR expires_at > now()) AND role IN ('responder', 'admin')
), svc AS (
    SELECT s.id, s.name FROM services s, k WHERE s.name = :service
), upserted AS (
    INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                             first_seen_at, last_seen_at, updated_at)
    SELECT svc.id, 'pgbench', 'bench alert', 'warning', @DEDUP_KEY@,
           '{}'::jsonb, '[]'::jsonb, now(), now(), now()
    FROM svc
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
), audit AS (
    INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_name, action, target,
                           remote_address, request_id, status)
    SELECT now(), 'api_key', k.id, :actor, 'POST /api/v1/alerts', '/api/v1/alerts', '127.0.0.1',
           'pgbench-' || :client_id::text || '-' || :n, CASE WHEN u.inserted THEN 201 ELSE 200 END
    FROM k, upserted u
)
SELECT a.id, a.service_id, s.name AS service_name, a.source, a.summary, a.severity, a.status, a.dedup_key,
       a.event_count, a.details, a.links, a.first_seen_at, a.last_seen_at, a.acknowledged_at,
       a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.incident_id, a.updated_at,
       a.inserted
FROM upserted a JOIN svc s ON s.id = a.service_id;
