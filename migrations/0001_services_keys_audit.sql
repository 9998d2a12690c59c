-- Why: every route is protected from the first day (issue 4), so keys, the services that
-- routing keys belong to, and the audit log come before any alert or incident table.

CREATE TABLE services (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    -- Severity of the incident a critical alert opens for this service (SPEC §3).
    critical_alert_incident_severity text NOT NULL DEFAULT 'SEV2',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT services_name_unique UNIQUE (name),
    CONSTRAINT services_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT services_critical_severity_valid
        CHECK (critical_alert_incident_severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4'))
);

-- API keys: only a SHA-256 of the secret is stored; key_id is the short, non-secret part
-- the key is looked up by before the constant-time compare.
CREATE TABLE api_keys (
    id           bigserial PRIMARY KEY,
    key_id       text        NOT NULL,
    secret_hash  bytea       NOT NULL,
    name         text        NOT NULL,
    role         text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_keys_key_id_unique UNIQUE (key_id),
    CONSTRAINT api_keys_role_valid CHECK (role IN ('viewer', 'responder', 'admin')),
    CONSTRAINT api_keys_hash_length CHECK (octet_length(secret_hash) = 32)
);

-- Routing (integration) keys: held by alert senders, may only send alerts to their service.
CREATE TABLE integrations (
    id          bigserial PRIMARY KEY,
    service_id  bigint      NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    name        text        NOT NULL,
    kind        text        NOT NULL DEFAULT 'generic',
    key_id      text        NOT NULL,
    secret_hash bytea       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    CONSTRAINT integrations_key_id_unique UNIQUE (key_id),
    CONSTRAINT integrations_kind_valid
        CHECK (kind IN ('generic', 'pagerduty', 'alertmanager', 'runbook')),
    CONSTRAINT integrations_hash_length CHECK (octet_length(secret_hash) = 32)
);
CREATE INDEX integrations_service_id ON integrations (service_id);

-- Every mutating request, and every request refused for auth (SPEC §5).
CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    occurred_at    timestamptz NOT NULL DEFAULT now(),
    actor_kind     text        NOT NULL,
    actor_id       bigint,
    actor_name     text        NOT NULL DEFAULT '',
    action         text        NOT NULL,
    target         text        NOT NULL DEFAULT '',
    remote_address text        NOT NULL DEFAULT '',
    request_id     text        NOT NULL DEFAULT '',
    status         integer     NOT NULL,
    CONSTRAINT audit_log_actor_kind_valid
        CHECK (actor_kind IN ('api_key', 'routing_key', 'anonymous', 'cli', 'system'))
);
CREATE INDEX audit_log_occurred_at ON audit_log (occurred_at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_kind, actor_id, occurred_at);
