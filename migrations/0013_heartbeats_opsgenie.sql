-- Why: heartbeats (dead-man switches) and the Opsgenie API (SPEC §12, §14, issue 17). A backup
-- job or Alertmanager's Watchdog that stops pinging must page someone, whichever incidentd
-- process is up: the deadline is kept in rows, and every process's expiry job claims overdue
-- heartbeats with FOR UPDATE SKIP LOCKED, so each expiry is raised once. Opsgenie answers its
-- alert calls 202 and lets clients ask for the outcome later (GET /v2/alerts/requests/{id}):
-- the outcome is kept in a table so that any process can answer.

CREATE TABLE heartbeats (
    id               bigserial PRIMARY KEY,
    name             text        NOT NULL,
    service_id       bigint      NOT NULL REFERENCES services (id),
    interval_seconds integer     NOT NULL,
    grace_seconds    integer     NOT NULL DEFAULT 0,
    severity         text        NOT NULL DEFAULT 'critical',
    enabled          boolean     NOT NULL DEFAULT true,
    -- When monitoring last started: creation, or the switch from disabled to enabled. A heartbeat
    -- never pinged since is `new` and expires counted from here.
    armed_at         timestamptz NOT NULL DEFAULT now(),
    last_ping_at     timestamptz,
    -- Set while expired: when the expiry was raised and the alert it raised; the next ping clears
    -- both and resolves the alert.
    expired_at       timestamptz,
    alert_id         bigint REFERENCES alerts (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT heartbeats_name_unique UNIQUE (name),
    CONSTRAINT heartbeats_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT heartbeats_interval_range CHECK (interval_seconds BETWEEN 1 AND 2678400),
    CONSTRAINT heartbeats_grace_range CHECK (grace_seconds BETWEEN 0 AND 2678400),
    CONSTRAINT heartbeats_severity_valid CHECK (severity IN ('critical', 'error', 'warning', 'info'))
);
CREATE INDEX heartbeats_service_id ON heartbeats (service_id);
-- The expiry job's candidates: enabled heartbeats not expired yet.
CREATE INDEX heartbeats_watched ON heartbeats (id) WHERE enabled AND expired_at IS NULL;

-- One row per Opsgenie alert call (create, acknowledge, close, note): what
-- GET /v2/alerts/requests/{requestId} answers. Rows older than a week are pruned as new ones
-- are written.
CREATE TABLE opsgenie_requests (
    request_id     text        PRIMARY KEY,
    action         text        NOT NULL,
    processed_at   timestamptz NOT NULL,
    integration_id text        NOT NULL,
    is_success     boolean     NOT NULL,
    status         text        NOT NULL,
    alert_id       bigint,
    alias          text,
    -- The caller's service when it used a routing key (it may read only its service's
    -- requests); null for an API key.
    service_id     bigint,
    CONSTRAINT opsgenie_requests_id_length CHECK (char_length(request_id) BETWEEN 1 AND 64)
);
CREATE INDEX opsgenie_requests_processed_at ON opsgenie_requests (processed_at);
-- An alias no open alert holds any more: which alert it named (acting on a closed alert by alias).
CREATE INDEX opsgenie_requests_alias ON opsgenie_requests (alias, processed_at) WHERE alias IS NOT NULL;
