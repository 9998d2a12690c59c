-- Why: the dashboard poll (`GET /api/v1/incidents?status=open`, issue 6) read each incident's
-- service names through a correlated sub-select over incident_services and services: 0.55 of
-- the query's 0.6 ms for a page of 50 (bench/incidents). The names are now kept on the incident
-- itself, sorted, written by IncidentRepository whenever it adds services (the only writer of
-- incident_services). Services cannot be renamed or deleted while incidents reference them
-- (no rename route; incident_services.service_id has no ON DELETE), so the copy cannot go stale.
-- incident_services stays the source of truth and the index for the `service=` filter and grouping.

ALTER TABLE incidents ADD COLUMN service_names text[] NOT NULL DEFAULT '{}';

UPDATE incidents i
SET service_names = ARRAY(SELECT s.name FROM incident_services x JOIN services s ON s.id = x.service_id
                          WHERE x.incident_id = i.id ORDER BY s.name)
WHERE EXISTS (SELECT 1 FROM incident_services x WHERE x.incident_id = i.id);
