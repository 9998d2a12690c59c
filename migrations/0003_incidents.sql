-- Why: incidents, the unit of response (issue 6, SPEC §3). Alerts and timeline entries
-- already carry an incident_id (0002); this adds the table they point to, the services an
-- incident affects, indexes for the dashboard list and its `since=` change feed, and the
-- partial index the SLA breach job scans.

CREATE TABLE incidents (
    id              bigserial PRIMARY KEY,
    title           text        NOT NULL,
    severity        text        NOT NULL,
    status          text        NOT NULL DEFAULT 'investigating',
    summary         text,
    impact          text,
    commander       text,
    -- `#incident-YYYY-MM-DD-<slug>`, fixed at creation (seed 004).
    channel         text        NOT NULL,
    started_at      timestamptz NOT NULL,
    detected_at     timestamptz NOT NULL,
    acknowledged_at timestamptz,
    acknowledged_by text,
    -- When the status first reached `monitoring`.
    mitigated_at    timestamptz,
    resolved_at     timestamptz,
    resolved_by     text,
    resolution      text,
    -- detected_at + the severity's response time; recomputed on severity change.
    ack_due_at      timestamptz NOT NULL,
    sla_breached    boolean     NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Moves on every change: the `since=` change feed for pollers reads it.
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT incidents_severity_valid CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    CONSTRAINT incidents_status_valid
        CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
    CONSTRAINT incidents_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
    CONSTRAINT incidents_started_before_detected CHECK (started_at <= detected_at),
    -- A resolved incident has its resolution time, an open one has none.
    CONSTRAINT incidents_resolved_consistent CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

-- Dashboards poll open incidents newest first (issue 6 benchmark: 1,000 open of 100,000);
-- the predicate is written exactly like the repository's `status <> 'resolved'` filter.
CREATE INDEX incidents_open_id ON incidents (id) WHERE status <> 'resolved';
CREATE INDEX incidents_status_id ON incidents (status, id);
CREATE INDEX incidents_severity_id ON incidents (severity, id);
CREATE INDEX incidents_updated_at ON incidents (updated_at, id);
-- The SLA job: open, unacknowledged, not yet escalated incidents by deadline.
CREATE INDEX incidents_ack_pending ON incidents (ack_due_at)
    WHERE acknowledged_at IS NULL AND NOT sla_breached AND status <> 'resolved';

-- The services an incident affects (SPEC §3 `services`); grouping looks up a service's open
-- incident through (service_id, incident_id).
CREATE TABLE incident_services (
    incident_id bigint NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    service_id  bigint NOT NULL REFERENCES services (id),
    CONSTRAINT incident_services_pkey PRIMARY KEY (incident_id, service_id)
);
CREATE INDEX incident_services_service ON incident_services (service_id, incident_id);

ALTER TABLE alerts
    ADD CONSTRAINT alerts_incident_fk FOREIGN KEY (incident_id) REFERENCES incidents (id);
ALTER TABLE timeline_entries
    ADD CONSTRAINT timeline_entries_incident_fk FOREIGN KEY (incident_id) REFERENCES incidents (id);
