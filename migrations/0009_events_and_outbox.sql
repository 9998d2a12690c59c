-- Why: part two reaches people (issue 14, SPEC §8, §9). Every state change appends one row to
-- `events` in the transaction of the change; the same statement writes one `deliveries` row per
-- enabled channel whose filters match (a transactional outbox), which delivery workers in every
-- process claim with FOR UPDATE SKIP LOCKED, send, and record.
--
-- Readers must never skip an event committed late with a smaller id (a sequence value is taken
-- before commit). Each event carries the id of the transaction that wrote it (`xid`); the log
-- order is (xid, id), and a reader only returns rows whose xid is below the xmin of its snapshot,
-- which no transaction still running can have (docs/adr/0005-event-log-order-and-outbox.md).

CREATE TABLE events (
    id           bigserial   PRIMARY KEY,
    -- The writing transaction (top level, 64-bit with epoch: never wraps).
    xid          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    type         text        NOT NULL,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor        text        NOT NULL DEFAULT 'system',
    subject_kind text        NOT NULL,
    subject_id   bigint,
    subject_ref  text,
    -- The incident the event is about (its own, or its alert's): email threads (SPEC §9).
    incident_id  bigint,
    -- SPEC §14: the service name shown (or null); service_ids holds every service the subject
    -- concerns (an incident may span several), which channel filters match against.
    service      text,
    service_ids  bigint[]    NOT NULL DEFAULT '{}',
    -- SPEC §14: the incident's SEV or the alert's severity (or null).
    severity     text,
    data         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    CONSTRAINT events_type_format CHECK (type ~ '^[a-z_]+(\.[a-z_]+)?$'),
    CONSTRAINT events_data_object CHECK (jsonb_typeof(data) = 'object'),
    CONSTRAINT events_severity_valid
        CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4', 'critical', 'error', 'warning', 'info'))
);
-- The log order readers page through (EventRepository.list).
CREATE INDEX events_log_order ON events (xid, id);
-- An incident's events, for mail threads; alert events outside incidents stay out of it.
CREATE INDEX events_incident ON events (incident_id, id) WHERE incident_id IS NOT NULL;

-- A severity's rank for channel filters: SEV1 and critical are 1, ..., SEV4 and info are 4.
CREATE FUNCTION incidentd_severity_rank(severity text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE severity
        WHEN 'SEV1' THEN 1 WHEN 'critical' THEN 1
        WHEN 'SEV2' THEN 2 WHEN 'error' THEN 2
        WHEN 'SEV3' THEN 3 WHEN 'warning' THEN 3
        WHEN 'SEV4' THEN 4 WHEN 'info' THEN 4
    END
$$;

-- Where events go (SPEC §9). URLs and secrets are secrets: only admin routes show them.
CREATE TABLE channels (
    id                    bigserial   PRIMARY KEY,
    name                  text        NOT NULL,
    kind                  text        NOT NULL,
    -- webhook and slack: the URL; email: the recipients.
    url                   text,
    recipients            text[],
    -- webhook: `whsec_` + base64 of 32 random bytes. After a rotation the previous one still
    -- signs (both signatures are sent) until previous_secret_until.
    secret                text,
    previous_secret       text,
    previous_secret_until timestamptz,
    -- Event types, `prefix.*` or `*`; the default is every incident event.
    events                text[]      NOT NULL DEFAULT '{incident.*}',
    -- Empty: every service.
    service_ids           bigint[]    NOT NULL DEFAULT '{}',
    min_severity          text        NOT NULL DEFAULT 'SEV4',
    enabled               boolean     NOT NULL DEFAULT true,
    disabled_reason       text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channels_name_unique UNIQUE (name),
    CONSTRAINT channels_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT channels_kind_valid CHECK (kind IN ('webhook', 'email', 'slack')),
    CONSTRAINT channels_destination_valid CHECK (
        CASE kind WHEN 'email' THEN recipients IS NOT NULL AND cardinality(recipients) > 0 AND url IS NULL
                  ELSE url IS NOT NULL AND recipients IS NULL END),
    CONSTRAINT channels_secret_valid CHECK ((kind = 'webhook') = (secret IS NOT NULL)),
    CONSTRAINT channels_previous_secret_valid
        CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL)),
    CONSTRAINT channels_min_severity_valid CHECK (min_severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    CONSTRAINT channels_events_not_empty CHECK (cardinality(events) > 0)
);

-- One row per (event, channel); later issues add page targets (contact methods), which is why
-- the target check is a named constraint of its own.
CREATE TABLE deliveries (
    id              bigserial   PRIMARY KEY,
    event_id        bigint      NOT NULL REFERENCES events (id),
    channel_id      bigint      REFERENCES channels (id) ON DELETE CASCADE,
    state           text        NOT NULL DEFAULT 'pending',
    -- Attempts claimed so far; a claim counts one before the send (ADR 0005).
    attempts        integer     NOT NULL DEFAULT 0,
    -- When a pending delivery is due; a claim moves it one lease ahead, so a process killed
    -- mid-send leaves it to be claimed again when the lease ends.
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_attempt_at timestamptz,
    -- HTTP status or SMTP reply code of the last attempt (null: no answer).
    last_status     integer,
    last_error      text,
    delivered_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT deliveries_state_valid CHECK (state IN ('pending', 'delivered', 'dead', 'cancelled')),
    CONSTRAINT deliveries_has_target CHECK (channel_id IS NOT NULL),
    CONSTRAINT deliveries_attempts_nonnegative CHECK (attempts >= 0),
    CONSTRAINT deliveries_delivered_consistent CHECK ((state = 'delivered') = (delivered_at IS NOT NULL))
);
-- Workers claim due pending deliveries in due order; the partial index holds only pending rows.
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX deliveries_channel ON deliveries (channel_id, id);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_state ON deliveries (state, id);

-- Wakes the delivery workers of every process at commit (they also poll, at most a second
-- apart). Row-level, so a statement that writes no delivery — an event no channel wants, the
-- usual case — costs nothing here; NOTIFY folds a transaction's identical notifications into one.
CREATE FUNCTION incidentd_notify_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incidentd_deliveries', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER deliveries_inserted_notify
    AFTER INSERT ON deliveries
    FOR EACH ROW EXECUTE FUNCTION incidentd_notify_deliveries();

-- A redelivery (dead or delivered back to pending) wakes the workers too.
CREATE TRIGGER deliveries_pending_again_notify
    AFTER UPDATE OF state ON deliveries
    FOR EACH ROW WHEN (NEW.state = 'pending' AND OLD.state <> 'pending')
    EXECUTE FUNCTION incidentd_notify_deliveries();
