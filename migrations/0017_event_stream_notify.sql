-- Why: the live stream (issue 18, SPEC §8): an event committed through any server process
-- reaches streams held on every other process within a second. Each statement that appends
-- events notifies `incidentd_events` with the largest id it appended, at commit. The
-- notification carries only that id: listeners read the log itself, in its (xid, id) order
-- and below the xmin horizon (docs/adr/0005-event-log-order-and-outbox.md), so an event
-- committed late is never skipped whatever order notifications arrive in.
--
-- Statement-level with a transition table: one notification per appending statement (the
-- alert-ingest batch appends many events in one), not one per row.

CREATE FUNCTION incidentd_notify_events() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incidentd_events', (SELECT max(id)::text FROM appended));
    RETURN NULL;
END
$$;

CREATE TRIGGER events_appended_notify
    AFTER INSERT ON events
    REFERENCING NEW TABLE AS appended
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_events();
