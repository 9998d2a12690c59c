-- Why: escalation policies that page people (issue 16, SPEC §11 and §14). A policy is an
-- ordered list of steps, each with a delay and targets (people, schedules, channels), repeated
-- `repeat` more times; a service names its policy. A SEV1/SEV2 incident starts its service's
-- policy in the transaction that opened or raised it: one `incident_escalations` row holding the
-- plan as it was then, the last step fired and when the next one is due. Escalation workers in
-- every process claim due rows with FOR UPDATE SKIP LOCKED and, in one transaction, write the
-- step's `incident.escalated` event, its timeline entry and its pages, which are deliveries
-- (SPEC §9) to contact methods: the outbox gains a second kind of target. A unique index on
-- (incident, step, loop, user, contact method) makes a second page of one step impossible.
-- An acknowledgement or resolution stops the row and cancels its pending pages in its own
-- transaction (docs/ESCALATION.md).

CREATE TABLE escalation_policies (
    id         bigserial   PRIMARY KEY,
    name       text        NOT NULL,
    -- How many more times the steps run after the first pass (SPEC §11: 0–9).
    repeat     integer     NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT escalation_policies_name_unique UNIQUE (name),
    CONSTRAINT escalation_policies_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT escalation_policies_repeat_range CHECK (repeat BETWEEN 0 AND 9)
);

-- Steps count from 1 (SPEC §14). `delay_seconds`: how long the step waits for an
-- acknowledgement before the next one.
CREATE TABLE escalation_policy_steps (
    policy_id     bigint  NOT NULL REFERENCES escalation_policies (id) ON DELETE CASCADE,
    step          integer NOT NULL,
    delay_seconds integer NOT NULL,
    CONSTRAINT escalation_policy_steps_pkey PRIMARY KEY (policy_id, step),
    CONSTRAINT escalation_policy_steps_step_positive CHECK (step >= 1),
    CONSTRAINT escalation_policy_steps_delay_nonnegative CHECK (delay_seconds >= 0)
);

-- A step's targets in order; exactly one of the three references. A person, schedule or
-- channel named here cannot be deleted (409 naming the policy; the foreign keys back it up).
CREATE TABLE escalation_policy_targets (
    policy_id   bigint  NOT NULL,
    step        integer NOT NULL,
    position    integer NOT NULL,
    user_id     bigint,
    schedule_id bigint,
    channel_id  bigint,
    CONSTRAINT escalation_policy_targets_pkey PRIMARY KEY (policy_id, step, position),
    CONSTRAINT escalation_policy_targets_step_fk FOREIGN KEY (policy_id, step)
        REFERENCES escalation_policy_steps (policy_id, step) ON DELETE CASCADE,
    CONSTRAINT escalation_policy_targets_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    CONSTRAINT escalation_policy_targets_schedule_fk FOREIGN KEY (schedule_id) REFERENCES schedules (id),
    CONSTRAINT escalation_policy_targets_channel_fk FOREIGN KEY (channel_id) REFERENCES channels (id),
    CONSTRAINT escalation_policy_targets_one_target CHECK (num_nonnulls(user_id, schedule_id, channel_id) = 1)
);
CREATE INDEX escalation_policy_targets_user ON escalation_policy_targets (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX escalation_policy_targets_schedule ON escalation_policy_targets (schedule_id)
    WHERE schedule_id IS NOT NULL;
CREATE INDEX escalation_policy_targets_channel ON escalation_policy_targets (channel_id)
    WHERE channel_id IS NOT NULL;

-- SPEC §11: a service's policy. A policy still named by a service cannot be deleted (409).
ALTER TABLE services
    ADD COLUMN escalation_policy_id bigint
        CONSTRAINT services_escalation_policy_fk REFERENCES escalation_policies (id);
CREATE INDEX services_escalation_policy ON services (escalation_policy_id)
    WHERE escalation_policy_id IS NOT NULL;

-- An incident opened by a critical alert resolves when its last alert resolves; one declared by
-- a person stays open (docs/ALERTS.md). Incidents opened by alerts before this migration are
-- recognised by their `created` entry, which names the alert.
ALTER TABLE incidents ADD COLUMN opened_by_alert boolean NOT NULL DEFAULT false;
UPDATE incidents i SET opened_by_alert = true
WHERE EXISTS (
    SELECT 1 FROM timeline_entries t
    WHERE t.incident_id = i.id AND t.kind = 'created' AND t.data ? 'alert');

-- One escalation per incident. `plan` is the policy as it was when the escalation started
-- ({"repeat", "steps": [{"delay_seconds", "targets": [{"type", "id"}]}]}), so editing or
-- deleting the policy never changes a running escalation. `step`/`loop` are the last step fired
-- (step 0: none yet, step 1 is due at once); `next_step_at` is when the next step fires, or
-- when an escalation past its last step becomes `exhausted`.
CREATE TABLE incident_escalations (
    incident_id  bigint      PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    policy_id    bigint      REFERENCES escalation_policies (id) ON DELETE SET NULL,
    policy_name  text        NOT NULL,
    plan         jsonb       NOT NULL,
    state        text        NOT NULL DEFAULT 'active',
    step         integer     NOT NULL DEFAULT 0,
    loop         integer     NOT NULL DEFAULT 1,
    next_step_at timestamptz,
    started_at   timestamptz NOT NULL,
    -- Who or what stopped it (`alice`, with `stop_reason` "ALR-7 acknowledged").
    stopped_at   timestamptz,
    stopped_by   text,
    stop_reason  text,
    updated_at   timestamptz NOT NULL,
    CONSTRAINT incident_escalations_state_valid
        CHECK (state IN ('active', 'acknowledged', 'resolved', 'exhausted')),
    CONSTRAINT incident_escalations_due_when_active CHECK ((state = 'active') = (next_step_at IS NOT NULL)),
    CONSTRAINT incident_escalations_position_valid CHECK (step >= 0 AND loop >= 1),
    CONSTRAINT incident_escalations_plan_object CHECK (jsonb_typeof(plan) = 'object')
);
-- The workers' claim: active escalations by due time.
CREATE INDEX incident_escalations_due ON incident_escalations (next_step_at) WHERE state = 'active';

-- Wakes the escalation workers of every process when an escalation starts (step 1 is due at
-- once); they also look at least once a second, and sleep only until the next due step.
CREATE FUNCTION incidentd_notify_escalations() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incidentd_escalations', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER incident_escalations_started_notify
    AFTER INSERT ON incident_escalations
    FOR EACH ROW EXECUTE FUNCTION incidentd_notify_escalations();

-- Pages (SPEC §9, §14): a delivery of a step's `incident.escalated` event to a contact method of
-- a paged person. A delivery now has exactly one target, a channel or a contact method; a
-- contact method's deliveries go with it, like a channel's.
ALTER TABLE deliveries
    ADD COLUMN contact_method_id bigint
        CONSTRAINT deliveries_contact_method_fk REFERENCES contact_methods (id) ON DELETE CASCADE,
    -- The page this delivery is (channels named by a step are paged too); null for the
    -- deliveries of the usual fan-out.
    ADD COLUMN page_incident_id bigint,
    ADD COLUMN page_step integer,
    ADD COLUMN page_loop integer,
    ADD COLUMN page_user_id bigint,
    DROP CONSTRAINT deliveries_has_target,
    ADD CONSTRAINT deliveries_has_target CHECK (num_nonnulls(channel_id, contact_method_id) = 1),
    ADD CONSTRAINT deliveries_page_complete
        CHECK ((page_incident_id IS NULL) = (page_step IS NULL) AND (page_step IS NULL) = (page_loop IS NULL)),
    ADD CONSTRAINT deliveries_contact_method_paged
        CHECK (contact_method_id IS NULL OR (page_incident_id IS NOT NULL AND page_user_id IS NOT NULL));
-- SPEC §11: each (incident, step, loop, user, contact method) is paged once, however many
-- processes escalate.
CREATE UNIQUE INDEX deliveries_page_once
    ON deliveries (page_incident_id, page_step, page_loop, page_user_id, contact_method_id)
    WHERE contact_method_id IS NOT NULL;
-- An incident's pages: cancelled together when it is acknowledged, listed by its escalation.
CREATE INDEX deliveries_page_incident ON deliveries (page_incident_id) WHERE page_incident_id IS NOT NULL;
-- Mail threads per contact method (the channel's are found through deliveries_channel).
CREATE INDEX deliveries_contact_method ON deliveries (contact_method_id, id) WHERE contact_method_id IS NOT NULL;
