-- The product's trigger, one statement: upsert through alerts_open_dedup_key and its timeline
-- entry (AlertRepository+Trigger.swift, triggerQuery with .countEveryTrigger). @DEDUP_KEY@ is
-- replaced by run.sh with a pgbench expression, @ON_CONFLICT@ and @TIMELINE_KIND_BODY_DATA@ with
-- the product's own text (Sources/Repositories/AlertTriggerSQL.swift); :sid and :actor come
-- from pgbench -D.
WITH upserted AS (
    INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                             first_seen_at, last_seen_at, updated_at)
    VALUES (:sid, 'pgbench', 'bench alert', 'warning', @DEDUP_KEY@,
            '{}'::jsonb, '[]'::jsonb, now(), now(), now())
    @ON_CONFLICT@
    RETURNING a.*, (a.xmax = 0) AS inserted
), entry AS (
    INSERT INTO timeline_entries (alert_id, service_id, actor, occurred_at, created_at, kind, body, data)
    SELECT u.id, u.service_id, :actor, now(), now(),
           @TIMELINE_KIND_BODY_DATA@
    FROM upserted u
)
SELECT a.id, a.service_id, s.name AS service_name, a.source, a.summary, a.severity, a.status, a.dedup_key,
       a.event_count, a.details, a.links, a.first_seen_at, a.last_seen_at, a.acknowledged_at,
       a.acknowledged_by, a.resolved_at, a.resolved_by, a.resolution, a.incident_id, a.updated_at,
       a.inserted
FROM upserted a JOIN services s ON s.id = a.service_id;
