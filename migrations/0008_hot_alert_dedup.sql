-- Why: a repeated trigger (dedup, SPEC §3) changes event_count, last_seen_at, summary, details
-- and updated_at of the open alert. While `updated_at` was indexed, every such update wrote a
-- new entry into each of the table's indexes (a non-HOT update) and left the old ones for
-- vacuum: an alert storm cost PostgreSQL more per trigger than new alerts did (issue 5,
-- docs/PERFORMANCE.md). With no index on a column a dedup changes, the update stays on its
-- page (HOT) and touches no index; the free space per page lets it stay there.
--
-- The `since=` change feed of GET /alerts keeps its meaning (alerts.updated_at >= since) and
-- finds its candidates through the timeline instead: every statement that moves an alert's
-- updated_at writes that alert's timeline entry with created_at = the same time, in the same
-- transaction (AlertRepository, IncidentRepository). Timeline rows are only ever inserted, so
-- this index costs one insertion per entry, as alerts_updated_at did per alert write.
DROP INDEX alerts_updated_at;
ALTER TABLE alerts SET (fillfactor = 85);
CREATE INDEX timeline_entries_alert_created_at ON timeline_entries (created_at, alert_id)
    WHERE alert_id IS NOT NULL;
