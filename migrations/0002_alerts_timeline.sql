-- Why: alerts and their timeline (issue 5). Dedup is enforced by the database: a partial
-- unique index over alerts that are not resolved, written through an upsert, so concurrent
-- triggers from several processes can never open a second alert for one key.

CREATE TABLE alerts (
    id              bigserial PRIMARY KEY,
    service_id      bigint      NOT NULL REFERENCES services (id),
    source          text        NOT NULL,
    summary         text        NOT NULL,
    severity        text        NOT NULL,
    status          text        NOT NULL DEFAULT 'triggered',
    dedup_key       text        NOT NULL,
    event_count     integer     NOT NULL DEFAULT 1,
    details         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    links           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    first_seen_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    acknowledged_at timestamptz,
    acknowledged_by text,
    resolved_at     timestamptz,
    resolved_by     text,
    resolution      text,
    incident_id     bigint,
    -- Moves on every change: the `since=` change feed for pollers reads it.
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT alerts_severity_valid CHECK (severity IN ('critical', 'error', 'warning', 'info')),
    CONSTRAINT alerts_status_valid CHECK (status IN ('triggered', 'acknowledged', 'resolved')),
    CONSTRAINT alerts_summary_length CHECK (char_length(summary) BETWEEN 1 AND 1024),
    CONSTRAINT alerts_dedup_key_length CHECK (char_length(dedup_key) BETWEEN 1 AND 255),
    CONSTRAINT alerts_details_object CHECK (jsonb_typeof(details) = 'object'),
    CONSTRAINT alerts_links_array CHECK (jsonb_typeof(links) = 'array')
);

-- SPEC §3: at most one open alert per (service, dedup_key).
CREATE UNIQUE INDEX alerts_open_dedup_key ON alerts (service_id, dedup_key)
    WHERE status <> 'resolved';
CREATE INDEX alerts_status_id ON alerts (status, id DESC);
CREATE INDEX alerts_service_id ON alerts (service_id, id DESC);
CREATE INDEX alerts_updated_at ON alerts (updated_at, id);
CREATE INDEX alerts_incident_id ON alerts (incident_id) WHERE incident_id IS NOT NULL;

-- Append-only: entries are never updated or deleted by the application.
CREATE TABLE timeline_entries (
    id          bigserial PRIMARY KEY,
    incident_id bigint,
    alert_id    bigint REFERENCES alerts (id),
    service_id  bigint REFERENCES services (id),
    kind        text        NOT NULL,
    actor       text        NOT NULL DEFAULT 'system',
    body        text        NOT NULL DEFAULT '',
    data        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT timeline_entries_has_subject
        CHECK (incident_id IS NOT NULL OR alert_id IS NOT NULL OR service_id IS NOT NULL)
);
CREATE INDEX timeline_entries_incident ON timeline_entries (incident_id, occurred_at, id)
    WHERE incident_id IS NOT NULL;
CREATE INDEX timeline_entries_alert ON timeline_entries (alert_id, occurred_at, id)
    WHERE alert_id IS NOT NULL;
CREATE INDEX timeline_entries_service ON timeline_entries (service_id, occurred_at, id)
    WHERE service_id IS NOT NULL;

-- Idempotency-Key replay store: the first response to a key is kept and returned again.
CREATE TABLE idempotency_keys (
    actor        text        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status       integer     NOT NULL,
    content_type text        NOT NULL,
    body         bytea       NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT idempotency_keys_pkey PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
