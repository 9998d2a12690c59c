-- Why: maintenance windows (issue 17, SPEC §12): the seeds' "Sunday 2–4 AM UTC, 72 h notice".
-- During a window its services' alerts are recorded but held back (`alerts.suppressed_by`): they
-- open and join no incident, so nobody is paged; an alert still open when the window ends is
-- then handled as if it had just triggered.
--
-- A window keeps its current (or next) period in `next_starts_at`/`next_ends_at`: the only thing
-- the alert trigger statements read (a lateral lookup through `maintenance_windows_live`, which
-- holds only windows not yet over) and what the transition job claims with FOR UPDATE SKIP LOCKED
-- in every process: `period_started_at` says the period's start was handled (maintenance.started
-- appended); at its end the job appends maintenance.ended, handles the alerts it held back and
-- moves a recurring window on to its next period (computed in Domain from the rule), or marks a
-- one-off window finished. A window is never deleted (DELETE cancels it), so alerts keep naming it.

CREATE TABLE maintenance_windows (
    id                bigserial   PRIMARY KEY,
    description       text        NOT NULL,
    public            boolean     NOT NULL DEFAULT false,
    -- `services` was empty: every service, also those created later.
    all_services      boolean     NOT NULL,
    -- The services it covers otherwise, ascending (services are never deleted). An array on the
    -- row, as channels have it, so the trigger statements' lookup is a filter on the few live
    -- windows rather than a probe into another table.
    service_ids       bigint[]    NOT NULL DEFAULT '{}',
    -- A one-off window's start, a recurring window's DTSTART as an instant.
    starts_at         timestamptz NOT NULL,
    -- A one-off window's end; null for a recurring window (it lasts until cancelled).
    ends_at           timestamptz,
    -- A recurring window: RFC 5545 rule (the subset of SPEC §12, canonical spelling), IANA zone,
    -- DTSTART on the zone's wall clock ("YYYY-MM-DDTHH:MM:SS") and each occurrence's length.
    rrule             text,
    time_zone         text,
    rule_start        text,
    duration_seconds  integer,
    -- The period in force or next; for a one-off window, starts_at and ends_at.
    next_starts_at    timestamptz NOT NULL,
    next_ends_at      timestamptz NOT NULL,
    -- When the current period's start was handled (maintenance.started); null before.
    period_started_at timestamptz,
    -- When the window was over for good: its one period ended, or it was cancelled.
    finished_at       timestamptz,
    -- When the job last ended a period: for a few minutes after, each pass hands back alerts
    -- still held by it that a trigger committed after the end was handled (its request began
    -- during the period).
    last_period_ended_at timestamptz,
    cancelled_at      timestamptz,
    cancelled_by      text,
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT maintenance_windows_description_length CHECK (char_length(description) BETWEEN 1 AND 2000),
    CONSTRAINT maintenance_windows_kind CHECK (
        (rrule IS NULL AND time_zone IS NULL AND rule_start IS NULL AND duration_seconds IS NULL
         AND ends_at IS NOT NULL AND ends_at > starts_at)
        OR (rrule IS NOT NULL AND time_zone IS NOT NULL AND rule_start IS NOT NULL AND duration_seconds > 0
            AND ends_at IS NULL)),
    CONSTRAINT maintenance_windows_period CHECK (next_ends_at > next_starts_at),
    CONSTRAINT maintenance_windows_services CHECK (all_services = (cardinality(service_ids) = 0)),
    CONSTRAINT maintenance_windows_cancelled CHECK ((cancelled_at IS NULL) = (cancelled_by IS NULL)),
    CONSTRAINT maintenance_windows_cancel_finishes CHECK (cancelled_at IS NULL OR finished_at IS NOT NULL)
);

-- The windows not yet over, by the end of their period: the alert trigger statements look for
-- one covering the alert's service (few rows: windows that are over leave the index), and the
-- transition job finds due starts and ends.
CREATE INDEX maintenance_windows_live ON maintenance_windows (next_ends_at, next_starts_at)
    WHERE finished_at IS NULL;

-- Windows whose period ended lately, for that sweep.
CREATE INDEX maintenance_windows_recently_ended ON maintenance_windows (last_period_ended_at)
    WHERE last_period_ended_at IS NOT NULL;

-- The window that held an alert back (SPEC §12 `suppressed_by: "MW-n"`), kept after it ends as the
-- record of it; `suppression_ended_at` says when the hold ended. No foreign key: windows are
-- never deleted, and the alert insert path stays free of another constraint trigger per row.
-- Adding nullable columns without defaults rewrites nothing.
ALTER TABLE alerts
    ADD COLUMN suppressed_by        bigint,
    ADD COLUMN suppression_ended_at timestamptz;

-- The alerts a window still holds back, for the end of the window. A dedup leaves both columns
-- and the status as they were, so it stays a HOT update (migration 0008).
CREATE INDEX alerts_held_back ON alerts (suppressed_by)
    WHERE suppressed_by IS NOT NULL AND suppression_ended_at IS NULL AND status <> 'resolved';
