-- Why: seed Playbook 4 "stop writes to prevent further corruption" and "enable maintenance
-- mode" before migrations (SPEC §12): every incidentd process must refuse writes within 1 s of
-- the switch, whichever process (or `incidentd read-only`) flipped it. The switch lives in
-- this one-row table; a trigger NOTIFYs `incidentd_read_only` at commit, and each process
-- also re-reads the row every second in case a notification was missed.

CREATE TABLE read_only_mode (
    id boolean PRIMARY KEY DEFAULT true,
    enabled boolean NOT NULL DEFAULT false,
    reason text NOT NULL DEFAULT '',
    retry_after_seconds integer NOT NULL DEFAULT 60,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL DEFAULT '',
    CONSTRAINT read_only_mode_one_row CHECK (id),
    CONSTRAINT read_only_mode_retry_after CHECK (retry_after_seconds BETWEEN 1 AND 86400)
);

INSERT INTO read_only_mode (id) VALUES (true);

CREATE FUNCTION incidentd_notify_read_only_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incidentd_read_only', '');
    RETURN NULL;
END
$$;

CREATE TRIGGER read_only_mode_changed
    AFTER UPDATE ON read_only_mode
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_read_only_changed();
