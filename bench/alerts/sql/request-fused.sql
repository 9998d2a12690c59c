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
    @ON_CONFLICT@
    RETURNING a.*, (a.xmax = 0) AS inserted
), entry AS (
    INSERT INTO timeline_entries (alert_id, service_id, actor, occurred_at, created_at, kind, body, data)
    SELECT u.id, u.service_id, :actor, now(), now(),
           @TIMELINE_KIND_BODY_DATA@
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
