-- pg-request-old: the request as incidentd sent it at the first measurement (docs/PERFORMANCE.md,
-- six round trips), kept for comparison. Before the trigger, for one POST /api/v1/alerts with an
-- API key (APIRouter.authenticate → Authenticator.apiKey → APIKeyRepository.findForAuthentication, on
-- its own pooled connection, autocommit; then TransactionRunner: BEGIN, and
-- AlertIngestion.serviceID → ServiceRepository.find(name:)). The last_used_at UPDATE
-- (at most once a minute per key) is left out.
SELECT id, key_id, name, role, created_at, last_used_at, expires_at, revoked_at, secret_hash
FROM api_keys WHERE key_id = :keyid;
BEGIN;
SELECT id, name, description, critical_alert_incident_severity, created_at FROM services WHERE name = :service;
