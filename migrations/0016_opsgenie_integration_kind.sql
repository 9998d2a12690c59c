-- Why: routing keys work only on the routes of their own integration kind (issue 20), and
-- Opsgenie's Alert and Heartbeat APIs (SPEC §12) are a sender of their own: an `opsgenie`
-- integration's key is the `GenieKey` an Opsgenie client or Alertmanager's opsgenie_configs
-- sends.

ALTER TABLE integrations DROP CONSTRAINT integrations_kind_valid;
ALTER TABLE integrations ADD CONSTRAINT integrations_kind_valid
    CHECK (kind IN ('generic', 'pagerduty', 'alertmanager', 'runbook', 'opsgenie'));
