-- pg-request-old, after the trigger: the audit row (then TransactionRunner →
-- AuditRepository.record), then COMMIT, one round trip each.
INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_name, action, target,
                       remote_address, request_id, status)
VALUES (now(), 'api_key', :keypk, :actor, 'POST /api/v1/alerts', '/api/v1/alerts',
        '127.0.0.1', 'pgbench-' || :client_id::text || '-' || :n, 201);
COMMIT;
