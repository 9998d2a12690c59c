-- Why: post-mortems and their action items (issue 7, SPEC §3), one post-mortem per incident,
-- following seed 003's template. The summary facts and key moments are copied from the
-- incident when the draft is made (a snapshot that the write-up is then edited around); the
-- due date is not stored but derived from the incident's current severity and resolution, so
-- a later severity change or resolution moves it. Also indexes the metrics report (issue 7)
-- and the /metrics gauges read.

CREATE TABLE postmortems (
    id                       bigserial PRIMARY KEY,
    incident_id              bigint      NOT NULL REFERENCES incidents (id),
    status                   text        NOT NULL DEFAULT 'draft',
    -- Seed 003 "Summary": the UTC day of detection, detection → resolution in minutes.
    incident_date            date        NOT NULL,
    duration_minutes         integer,
    severity                 text        NOT NULL,
    summary                  text,
    impact                   text,
    -- Seed 003 "Timeline": the five key moments, pre-filled from the incident's timeline.
    detection_at             timestamptz,
    response_initiated_at    timestamptz,
    root_cause_identified_at timestamptz,
    mitigation_applied_at    timestamptz,
    resolution_confirmed_at  timestamptz,
    root_cause               text,
    went_well                text,
    went_wrong               text,
    got_lucky                text,
    prevention               text,
    -- The latest publication; cleared when an admin reopens it.
    published_at             timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    -- Issue 7: one post-mortem per incident (a second create is 409).
    CONSTRAINT postmortems_incident_unique UNIQUE (incident_id),
    CONSTRAINT postmortems_status_valid CHECK (status IN ('draft', 'in_review', 'published')),
    CONSTRAINT postmortems_severity_valid CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    CONSTRAINT postmortems_published_consistent CHECK ((status = 'published') = (published_at IS NOT NULL)),
    CONSTRAINT postmortems_duration_nonnegative CHECK (duration_minutes >= 0)
);
CREATE INDEX postmortems_status_id ON postmortems (status, id);

CREATE TABLE action_items (
    id            bigserial PRIMARY KEY,
    postmortem_id bigint      NOT NULL REFERENCES postmortems (id),
    owner         text        NOT NULL,
    action        text        NOT NULL,
    due_date      date,
    status        text        NOT NULL DEFAULT 'open',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT action_items_status_valid CHECK (status IN ('open', 'done')),
    CONSTRAINT action_items_owner_length CHECK (char_length(owner) BETWEEN 1 AND 200),
    CONSTRAINT action_items_action_length CHECK (char_length(action) BETWEEN 1 AND 1000)
);
CREATE INDEX action_items_postmortem ON action_items (postmortem_id, id);
CREATE INDEX action_items_owner ON action_items (owner, id);
-- `GET /action-items?overdue=true`: open items by due date.
CREATE INDEX action_items_open_due ON action_items (due_date, id) WHERE status = 'open';

-- The metrics report selects incidents by detection time (`from`/`to`).
CREATE INDEX incidents_detected_at ON incidents (detected_at);
-- /metrics counts breached incidents every few seconds; the partial index stays tiny.
CREATE INDEX incidents_sla_breached ON incidents (severity) WHERE sla_breached;
