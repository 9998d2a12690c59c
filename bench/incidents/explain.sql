-- The dashboard poll's list query exactly as IncidentRepository.list sends it for
-- `GET /api/v1/incidents?status=open&limit=50` (one row more than the page, to know whether a
-- next page exists), first with the limit inlined, then as the prepared statement the server
-- really runs, forced to its generic plan (the plan a pooled connection settles on).
\set ON_ERROR_STOP on
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT i.id, i.title, i.severity, i.status, i.summary, i.impact, i.commander, i.channel, i.started_at,
    i.detected_at, i.acknowledged_at, i.acknowledged_by, i.mitigated_at, i.resolved_at, i.resolved_by,
    i.resolution, i.ack_due_at, i.sla_breached, i.created_at, i.updated_at, i.service_names AS services
FROM incidents i WHERE true AND i.status <> 'resolved' ORDER BY i.id DESC LIMIT 51;

SET plan_cache_mode = force_generic_plan;
PREPARE open_page(bigint) AS
SELECT i.id, i.title, i.severity, i.status, i.summary, i.impact, i.commander, i.channel, i.started_at,
    i.detected_at, i.acknowledged_at, i.acknowledged_by, i.mitigated_at, i.resolved_at, i.resolved_by,
    i.resolution, i.ack_due_at, i.sla_breached, i.created_at, i.updated_at, i.service_names AS services
FROM incidents i WHERE true AND i.status <> 'resolved' ORDER BY i.id DESC LIMIT $1;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE open_page(51);

-- An incident's timeline page (GET /api/v1/incidents/{id}/timeline, 50 entries).
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
SELECT id, incident_id, alert_id, service_id, kind, actor, body, data, occurred_at, created_at FROM (
    (SELECT id, incident_id, alert_id, service_id, kind, actor, body, data, occurred_at, created_at
     FROM timeline_entries WHERE incident_id = 50000 ORDER BY occurred_at, id LIMIT 51)
    UNION ALL
    (SELECT id, incident_id, alert_id, service_id, kind, actor, body, data, occurred_at, created_at
     FROM timeline_entries
     WHERE incident_id IS NULL AND alert_id IN (SELECT a.id FROM alerts a WHERE a.incident_id = 50000)
     ORDER BY occurred_at, id LIMIT 51)
) e ORDER BY occurred_at, id LIMIT 51;
