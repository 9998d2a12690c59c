-- Why: every mutating request writes one audit row (SPEC §5), and each index on audit_log is
-- one more insertion in the hot ingest path (issue 5, docs/PERFORMANCE.md). audit_log_actor
-- (actor_kind, actor_id, occurred_at) serves no query: GET /api/v1/audit filters by time and
-- actor_name and pages by id (AuditRepository.list), which audit_log_occurred_at and the
-- primary key cover.
DROP INDEX audit_log_actor;
