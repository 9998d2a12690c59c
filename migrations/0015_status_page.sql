-- Why: the status page (issue 19, SPEC §13). Components map to services; their status is
-- derived on read from the incidents' own timestamps (when an incident was made public, its
-- severity_changed entries, resolved_at) plus the manual overrides kept here, append-only, so
-- the history that uptime needs cannot miss a path that changes an incident.

CREATE TABLE status_components (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    group_name  text,
    service_ids bigint[]    NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT status_components_name_unique UNIQUE (name),
    CONSTRAINT status_components_name_length CHECK (char_length(name) BETWEEN 1 AND 200)
);

-- Manual overrides, one row per PATCH {status}; a null status clears the override. The
-- component's override at time t is the latest row set at or before t.
CREATE TABLE status_component_overrides (
    id           bigserial PRIMARY KEY,
    component_id bigint      NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
    status       text,
    set_at       timestamptz NOT NULL,
    set_by       text        NOT NULL,
    CONSTRAINT status_component_overrides_status_valid CHECK (status IS NULL OR status IN
        ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'))
);
CREATE INDEX status_component_overrides_component ON status_component_overrides (component_id, set_at, id);

-- Incidents made public (PATCH {public: true}); publication is not undone (what was
-- published stays in the page's history). The update-due job reads the cadence here.
CREATE TABLE incident_publications (
    incident_id           bigint           PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
    published_at          timestamptz      NOT NULL,
    published_by          text             NOT NULL,
    next_update_minutes   double precision NOT NULL DEFAULT 30,
    -- The last public status update, or the publication: the interval counts from it.
    last_public_update_at timestamptz      NOT NULL,
    -- Reminders sent since then: the next one is due at last + (sent + 1) × interval.
    reminders_sent        integer          NOT NULL DEFAULT 0,
    CONSTRAINT incident_publications_interval CHECK (next_update_minutes >= 0.05)
);
