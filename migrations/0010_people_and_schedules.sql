-- Why: people and on-call schedules (issue 15, SPEC §10 and §14). Users and their contact
-- methods; schedules made of ordered layers (rotations in wall-clock time of the schedule's
-- zone) and overrides. Only rules are stored, never computed shifts: who is on call is derived
-- from these rows by Domain's pure schedule math on every read. Each layer keeps its rotation's
-- position (anchor) so that editing its participants does not reshuffle the current shift.

CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    name       text        NOT NULL,
    email      text,
    -- The person's handle in chat (the chat command and notifications find people by it).
    chat_user  text,
    -- IANA name, for showing times to the person; schedules have their own zone.
    time_zone  text        NOT NULL DEFAULT 'UTC',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
    CONSTRAINT users_email_length CHECK (email IS NULL OR char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT users_chat_user_length CHECK (chat_user IS NULL OR char_length(chat_user) BETWEEN 1 AND 100)
);
-- One person per address and per chat handle, whatever their case (409 on a second one).
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));
CREATE UNIQUE INDEX users_chat_user_unique ON users (lower(chat_user));

-- How a person is reached: delivered through the notification outbox (SPEC §9) once it
-- exists. `address` is the e-mail address (`to`) or the URL (`url`). A webhook's signing
-- secret must be kept in clear: the sender signs with it (Standard Webhooks, SPEC §9); it is
-- shown to the client once, at creation.
CREATE TABLE contact_methods (
    id         bigserial PRIMARY KEY,
    user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text        NOT NULL,
    address    text        NOT NULL,
    secret     text,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT contact_methods_kind_valid CHECK (kind IN ('email', 'webhook', 'slack')),
    CONSTRAINT contact_methods_address_length CHECK (char_length(address) BETWEEN 3 AND 2048),
    CONSTRAINT contact_methods_secret_for_webhooks CHECK ((kind = 'webhook') = (secret IS NOT NULL))
);
CREATE INDEX contact_methods_user ON contact_methods (user_id, id);

CREATE TABLE schedules (
    id         bigserial PRIMARY KEY,
    name       text        NOT NULL,
    time_zone  text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedules_name_unique UNIQUE (name),
    CONSTRAINT schedules_name_length CHECK (char_length(name) BETWEEN 1 AND 100)
);

-- Layers in order (`ordinal`): at an instant the last layer that covers it wins.
CREATE TABLE schedule_layers (
    id                      bigserial PRIMARY KEY,
    schedule_id             bigint    NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    ordinal                 integer   NOT NULL,
    name                    text      NOT NULL,
    rotation                text      NOT NULL,
    length                  integer   NOT NULL,
    -- The first hand-off as wall-clock time in the schedule's zone: deliberately a timestamp
    -- *without* time zone; Domain turns it into instants by the zone's rules.
    start_local             timestamp NOT NULL,
    -- Optional restriction: days by short name, window in minutes after midnight (to exclusive).
    restriction_days        text[],
    restriction_from_minute integer,
    restriction_to_minute   integer,
    -- Hand-off number `anchor_handoff` went to participant `anchor_position`.
    anchor_handoff          bigint    NOT NULL DEFAULT 0,
    anchor_position         integer   NOT NULL DEFAULT 0,
    CONSTRAINT schedule_layers_ordinal_unique UNIQUE (schedule_id, ordinal),
    CONSTRAINT schedule_layers_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT schedule_layers_rotation_valid CHECK (rotation IN ('hourly', 'daily', 'weekly')),
    CONSTRAINT schedule_layers_length_valid CHECK (length BETWEEN 1 AND 1000),
    CONSTRAINT schedule_layers_restriction_complete CHECK (
        (restriction_days IS NULL) = (restriction_from_minute IS NULL)
        AND (restriction_days IS NULL) = (restriction_to_minute IS NULL)),
    CONSTRAINT schedule_layers_restriction_days_valid CHECK (
        restriction_days <@ ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
        AND cardinality(restriction_days) >= 1),
    CONSTRAINT schedule_layers_restriction_window_valid CHECK (
        restriction_from_minute >= 0 AND restriction_from_minute < restriction_to_minute
        AND restriction_to_minute <= 1440),
    CONSTRAINT schedule_layers_anchor_position_valid CHECK (anchor_position >= 0)
);

-- Participants in rotation order. A person on a rotation cannot be deleted (409): their
-- turns would silently become nobody's.
CREATE TABLE schedule_layer_participants (
    layer_id bigint  NOT NULL REFERENCES schedule_layers (id) ON DELETE CASCADE,
    position integer NOT NULL,
    user_id  bigint  NOT NULL,
    CONSTRAINT schedule_layer_participants_pkey PRIMARY KEY (layer_id, position),
    CONSTRAINT schedule_layer_participants_once UNIQUE (layer_id, user_id),
    CONSTRAINT schedule_layer_participants_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
);
CREATE INDEX schedule_layer_participants_user ON schedule_layer_participants (user_id);

-- Overrides: the newest (highest id) covering an instant wins. Past overrides of a deleted
-- person go with them; current and future ones make the delete a 409 (checked first).
CREATE TABLE schedule_overrides (
    id          bigserial PRIMARY KEY,
    schedule_id bigint      NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    user_id     bigint      NOT NULL,
    starts_at   timestamptz NOT NULL,
    ends_at     timestamptz NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT schedule_overrides_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    CONSTRAINT schedule_overrides_ends_after_start CHECK (ends_at > starts_at)
);
-- Reads take the overrides of one schedule that end after some instant.
CREATE INDEX schedule_overrides_schedule_ends ON schedule_overrides (schedule_id, ends_at);
CREATE INDEX schedule_overrides_user ON schedule_overrides (user_id);
