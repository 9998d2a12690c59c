-- Why: each incidentd process keeps the principals of recently checked keys in memory, so a
-- request does not need an api_keys round trip (issue 5 ingest, issue 6 polling; ADR 0003).
-- A change that can make a key stop working, or change what it may do, must reach every
-- process at once, including changes made by another process or by `incidentd keys revoke`:
-- these triggers NOTIFY `incidentd_credentials` at commit, and every process drops its whole
-- cache when the notification arrives (and trusts no cached key while it is not listening).
--
-- A new key cannot make a cached answer wrong, so INSERTs do not notify; `last_used_at` is
-- left out on purpose: it changes at most once a minute per key and does not
-- change whether the key works. NOTIFY serialises the commits of notifying transactions, which
-- is why only these rare writes notify and the hot tables (alerts, incidents) do not.

CREATE FUNCTION incidentd_notify_credentials_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('incidentd_credentials', TG_TABLE_NAME);
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_credentials_changed
    AFTER DELETE OR UPDATE OF key_id, secret_hash, name, role, expires_at, revoked_at
    ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_credentials_changed();

CREATE TRIGGER api_keys_credentials_truncated
    AFTER TRUNCATE ON api_keys
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_credentials_changed();

CREATE TRIGGER integrations_credentials_changed
    AFTER DELETE OR UPDATE OF service_id, name, key_id, secret_hash, revoked_at
    ON integrations
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_credentials_changed();

CREATE TRIGGER integrations_credentials_truncated
    AFTER TRUNCATE ON integrations
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_credentials_changed();

-- A routing key's principal carries its service's name.
CREATE TRIGGER services_credentials_changed
    AFTER DELETE OR UPDATE OF name ON services
    FOR EACH STATEMENT EXECUTE FUNCTION incidentd_notify_credentials_changed();
