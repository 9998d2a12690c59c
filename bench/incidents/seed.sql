-- Seeds the dashboard-polling data set of issue 6: 100,000 incidents of which 1,000 are open
-- (every 100th, spread over a year, so the open ones are not simply the newest), one service
-- each out of 20, and 1,000,000 timeline entries (10 per incident). Set-based inserts from
-- generate_series: one statement per table, no round trip per row.
\set ON_ERROR_STOP on
\timing on
BEGIN;

INSERT INTO services (name, description)
SELECT 'bench-svc-' || g, 'dashboard polling benchmark' FROM generate_series(1, 20) g;

-- Incident g was detected (365 days - g * 315 s) ago: 100,000 incidents over a year.
INSERT INTO incidents (id, title, severity, status, summary, channel, started_at, detected_at,
                       acknowledged_at, acknowledged_by, mitigated_at, resolved_at, resolved_by,
                       resolution, ack_due_at, sla_breached, created_at, updated_at, service_names)
SELECT g, 'Bench incident ' || g, (ARRAY['SEV1', 'SEV2', 'SEV3', 'SEV4'])[1 + g % 4],
       CASE WHEN g % 100 = 0 THEN (ARRAY['investigating', 'identified', 'monitoring'])[1 + g / 100 % 3]
            ELSE 'resolved' END,
       'Seeded for the dashboard polling benchmark',
       '#incident-' || to_char(d, 'YYYY-MM-DD') || '-bench-incident-' || g,
       d - interval '5 minutes', d,
       CASE WHEN g % 200 <> 0 THEN d + interval '4 minutes' END,
       CASE WHEN g % 200 <> 0 THEN 'bench' END,
       CASE WHEN g % 100 <> 0 THEN d + interval '20 minutes' END,
       CASE WHEN g % 100 <> 0 THEN d + interval '45 minutes' END,
       CASE WHEN g % 100 <> 0 THEN 'bench' END,
       CASE WHEN g % 100 <> 0 THEN 'Seeded resolution' END,
       d + (ARRAY[interval '15 minutes', interval '30 minutes', interval '4 hours', interval '24 hours'])[1 + g % 4],
       -- Open and never acknowledged: long past the deadline, escalated long ago (so the SLA job
       -- has nothing to do during the runs).
       g % 200 = 0, d, d + interval '45 minutes',
       -- The name of the service incident_services gives it below (ids in insertion order).
       ARRAY['bench-svc-' || (1 + g % 20)]
FROM generate_series(1, 100000) g, LATERAL (SELECT now() - interval '365 days' + g * interval '315 seconds' AS d) t;
SELECT setval('incidents_id_seq', 100000);

INSERT INTO incident_services (incident_id, service_id)
SELECT g, first_id + g % 20
FROM generate_series(1, 100000) g, (SELECT min(id) AS first_id FROM services WHERE name LIKE 'bench-svc-%') s;

-- The entries reference incidents that exist by construction: skip the one-by-one foreign key
-- checks (1,000,000 trigger calls) for this statement and check all references in one query below.
SET LOCAL session_replication_role = replica;
-- Entry e belongs to incident (e - 1) / 10 + 1 and happened (e - 1) % 10 minutes after its detection.
INSERT INTO timeline_entries (incident_id, kind, actor, body, data, occurred_at, created_at)
SELECT i, (ARRAY['created', 'acknowledged', 'status_changed', 'status_update', 'note', 'note', 'status_changed',
                 'status_update', 'note', 'resolved'])[1 + k],
       'bench', 'Seeded timeline entry ' || k || ' of incident ' || i, jsonb_build_object('seq', k),
       d + k * interval '1 minute', d + k * interval '1 minute'
FROM generate_series(1, 1000000) e,
     LATERAL (SELECT (e - 1) / 10 + 1 AS i, (e - 1) % 10 AS k) n,
     LATERAL (SELECT now() - interval '365 days' + n.i * interval '315 seconds' AS d) t;

SET LOCAL session_replication_role = origin;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM timeline_entries t LEFT JOIN incidents i ON i.id = t.incident_id
               WHERE t.incident_id IS NOT NULL AND i.id IS NULL) THEN
        RAISE EXCEPTION 'a seeded timeline entry references no incident';
    END IF;
END $$;
COMMIT;
ANALYZE services;
ANALYZE incidents;
ANALYZE incident_services;
ANALYZE timeline_entries;
