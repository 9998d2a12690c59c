-- Ends the [BEGIN + trigger] pipeline of request-begin.sql, then what incidentd sends after the
-- trigger: its audit row (TransactionRunner → AuditRepository.recordAtCommit) and COMMIT in ONE
-- pipeline (PostgresConnection+CommitPipeline.swift), i.e. the request's second and last round
-- trip.
\endpipeline
\startpipeline
INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_name, action, target,
                       remote_address, request_id, status)
VALUES (now(), 'api_key', :keypk, :actor, 'POST /api/v1/alerts', '/api/v1/alerts',
        '127.0.0.1', 'pgbench-' || :client_id::text || '-' || :n, 201);
COMMIT;
\endpipeline
