import Domain
import Foundation
import Postgres

/// One trigger of a batch (``AlertRepository/triggerBatchStatements(_:)``): what
/// ``AlertRepository/trigger(_:service:actor:now:repeats:)`` takes for one request, every
/// repeat counted, and the request's audit row.
public struct BatchedTrigger: Sendable {
    public let alert: NewAlert
    public let service: AlertRepository.TriggerService
    public let actor: String
    public let now: Date
    /// The request's audit row; its `status` is written as 201 or 200, as the API answers.
    public let audit: AuditEntry

    public init(
        alert: NewAlert, service: AlertRepository.TriggerService, actor: String, now: Date, audit: AuditEntry
    ) {
        self.alert = alert
        self.service = service
        self.actor = actor
        self.now = now
        self.audit = audit
    }
}

/// One statement of a batch and the triggers it carries: its rows name them by `n`, the
/// 1-based position in `members`, which are indexes into the batch.
public struct TriggerBatchStatement: Sendable {
    public let query: PostgresQuery
    public let members: [Int]
}

extension AlertRepository {
    /// Statements that trigger every alert of `triggers` as one
    /// ``trigger(_:service:actor:now:repeats:)`` each would (plus each one's audit row), in fewer
    /// statements: PostgreSQL's cost per statement (executor start, constraint and foreign-key
    /// checks) is paid once for many rows (issue 5, docs/PERFORMANCE.md).
    ///
    /// Repeats of one (service, dedup key) with the same content — an alert storm — are one
    /// upsert that counts them all (event_count + k) and still writes one timeline entry, one
    /// `alert.triggered` event (with its deliveries, ``EventFanOutSQL``) and one audit row per
    /// trigger; trigger i of the k answers the alert as it stands after it
    /// (event_count, 201 only for an alert the first one opened), with the last of their times
    /// as last_seen_at. An upsert can change a row only once per statement, so a repeat with
    /// different content goes into the next statement; run in order in one transaction, each
    /// statement sees the ones before, so every trigger counts as it would alone. A later
    /// statement only touches keys the first one already locked, so the batch takes its row
    /// locks in key order, as every other batch does (no deadlock between processes). Every row a
    /// statement returns is one trigger's alert with ``AlertRecord/columns``, `inserted` and
    /// `n`, the trigger's 1-based position in `members`; a trigger whose service does not exist
    /// gets no row and writes nothing.
    public static func triggerBatchStatements(_ triggers: [BatchedTrigger]) throws -> [TriggerBatchStatement]
    {
        // rounds[r]: the runs of equal repeats that statement r upserts, each as trigger indexes.
        var rounds: [[[Int]]] = []
        // By bytes, as PostgreSQL compares text: Swift's == would take "é" and "e\u{301}" for one
        // key, and fold two alerts into one.
        var lastRun: [[UInt8]: (round: Int, run: Int)] = [:]
        for (index, trigger) in triggers.enumerated() {
            let key = Array(trigger.alert.service.utf8) + [0] + Array(trigger.alert.dedupKey.utf8)
            if let last = lastRun[key] {
                let previous = triggers[rounds[last.round][last.run][0]]
                if try sameContent(previous, trigger) {
                    rounds[last.round][last.run].append(index)
                    continue
                }
            }
            let round = lastRun[key].map { $0.round + 1 } ?? 0
            if round == rounds.count { rounds.append([]) }
            rounds[round].append([index])
            lastRun[key] = (round, rounds[round].count - 1)
        }
        return try rounds.map { runs in
            TriggerBatchStatement(
                query: try batchQuery(runs.map { run in run.map { triggers[$0] } }),
                members: runs.flatMap { $0 })
        }
    }

    /// Whether `b` would store exactly what `a` stores, byte for byte (so one row can count both).
    private static func sameContent(_ a: BatchedTrigger, _ b: BatchedTrigger) throws -> Bool {
        guard a.alert == b.alert, a.service == b.service,
            a.alert.source.utf8.elementsEqual(b.alert.source.utf8),
            a.alert.summary.utf8.elementsEqual(b.alert.summary.utf8)
        else { return false }
        if a.alert.details.isEmpty && a.alert.links.isEmpty { return true }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try encoder.encode(a.alert.details) == encoder.encode(b.alert.details)
            && encoder.encode(a.alert.links) == encoder.encode(b.alert.links)
    }

    /// One upsert per run of `runs` (their (service, dedup key) pairs are distinct; the triggers
    /// of a run carry the same alert), and each trigger's timeline entry and audit row. Rows
    /// are numbered `n` in the order of `runs.flatMap { $0 }`.
    private static func batchQuery(_ runs: [[BatchedTrigger]]) throws -> PostgresQuery {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // One entry per run: the alert as the upsert writes it.
        var serviceIDs: [Int64] = [], serviceNames: [String] = []
        var sources: [String] = [], summaries: [String] = [], severities: [String] = []
        var dedupKeys: [String] = [], details: [String] = [], links: [String] = []
        var counts: [Int64] = [], lastTimes: [Int64] = []
        // One entry per trigger: its run (1-based), place in the run, and what it logs.
        var runOfTrigger: [Int64] = [], placeInRun: [Int64] = []
        var actors: [String] = [], times: [Int64] = [], auditTimes: [Int64] = []
        var actorKinds: [String] = [], actorIDs: [Int64] = [], actorNames: [String] = []
        var actions: [String] = [], targets: [String] = [], addresses: [String] = [],
            requestIDs: [String] = []
        for (runIndex, run) in runs.enumerated() {
            let first = run[0]
            let alert = first.alert
            switch first.service {
            case .id(let id):
                serviceIDs.append(id)
                serviceNames.append("")
            case .name(let name):
                serviceIDs.append(0)
                serviceNames.append(name)
            }
            sources.append(alert.source)
            summaries.append(alert.summary)
            severities.append(alert.severity.rawValue)
            dedupKeys.append(alert.dedupKey)
            details.append(
                alert.details.isEmpty
                    ? "{}" : try PostgresJSON(encoding: alert.details, encoder: encoder).text)
            links.append(
                alert.links.isEmpty ? "[]" : try PostgresJSON(encoding: alert.links, encoder: encoder).text)
            counts.append(Int64(run.count))
            lastTimes.append(run.map { PostgresTimestamp.microseconds(from: $0.now) }.max()!)
            for (place, trigger) in run.enumerated() {
                runOfTrigger.append(Int64(runIndex + 1))
                placeInRun.append(Int64(place + 1))
                actors.append(trigger.actor)
                times.append(PostgresTimestamp.microseconds(from: trigger.now))
                let audit = trigger.audit
                auditTimes.append(PostgresTimestamp.microseconds(from: audit.occurredAt))
                actorKinds.append(audit.actorKind)
                actorIDs.append(audit.actorID ?? 0)
                actorNames.append(audit.actorName)
                actions.append(audit.action)
                targets.append(audit.target)
                addresses.append(audit.remoteAddress)
                requestIDs.append(audit.requestID)
            }
        }
        // Times travel as microseconds since 2000-01-01 UTC (timestamptz's own count); id 0
        // stands for "none" (serial ids start at 1).
        return """
            WITH run AS (
                SELECT r.*, s.id AS sid, mw_at.at AS last_at, mw.id AS suppressed_by
                FROM unnest(\(serviceIDs), \(serviceNames), \(sources), \(summaries), \(severities), \(dedupKeys),
                            \(details), \(links), \(counts), \(lastTimes))
                     WITH ORDINALITY AS r(service_id, service_name, source, summary, severity, dedup_key,
                                          details, links, repeats, last_micros, run)
                JOIN services s ON s.id = CASE WHEN r.service_id <> 0 THEN r.service_id
                                               ELSE (SELECT named.id FROM services named WHERE named.name = r.service_name) END
                CROSS JOIN LATERAL (
                    SELECT timestamptz '2000-01-01 00:00:00+00' + r.last_micros * interval '1 microsecond' AS at,
                           0::int8 AS skip) mw_at
                \(sql: AlertTriggerSQL.activeWindow)
            ), upserted AS (
                INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                                         event_count, first_seen_at, last_seen_at, updated_at, suppressed_by)
                SELECT r.sid, r.source, r.summary, r.severity, r.dedup_key, r.details::jsonb, r.links::jsonb,
                       r.repeats, r.last_at, r.last_at, r.last_at, r.suppressed_by
                FROM run r
                -- Rows lock in the batch's order (key order: no deadlock with another process's batch).
                ORDER BY r.run
                \(sql: AlertTriggerSQL.onConflict)
                RETURNING a.*, (a.xmax = 0) AS inserted
            ), matched AS (
                -- One row per trigger: the alert as it stands after that trigger.
                SELECT u.id, u.service_id, u.source, u.summary, u.severity, u.status, u.dedup_key,
                       u.event_count - r.repeats + t.place AS event_count, u.details, u.links, u.first_seen_at,
                       u.last_seen_at, u.acknowledged_at, u.acknowledged_by, u.resolved_at, u.resolved_by,
                       u.resolution, u.incident_id, u.updated_at, u.suppressed_by, u.suppression_ended_at,
                       u.inserted AND t.place = 1 AS inserted,
                       t.n, t.actor,
                       timestamptz '2000-01-01 00:00:00+00' + t.micros * interval '1 microsecond' AS at,
                       timestamptz '2000-01-01 00:00:00+00' + t.audit_micros * interval '1 microsecond' AS audit_at,
                       t.actor_kind, t.actor_id, t.actor_name, t.action, t.target, t.remote_address, t.request_id
                FROM unnest(\(runOfTrigger), \(placeInRun), \(actors), \(times), \(auditTimes), \(actorKinds),
                            \(actorIDs), \(actorNames), \(actions), \(targets), \(addresses), \(requestIDs))
                     WITH ORDINALITY AS t(run, place, actor, micros, audit_micros, actor_kind, actor_id, actor_name,
                                          action, target, remote_address, request_id, n)
                JOIN run r ON r.run = t.run
                JOIN upserted u ON u.service_id = r.sid AND u.dedup_key = r.dedup_key
            ), entry AS (
                INSERT INTO timeline_entries (alert_id, service_id, actor, occurred_at, created_at, kind, body, data)
                SELECT u.id, u.service_id, u.actor, u.at, u.at, \(sql: AlertTriggerSQL.timelineKindBodyData)
                FROM matched u
            ), audit AS (
                INSERT INTO audit_log (occurred_at, actor_kind, actor_id, actor_name, action, target,
                                       remote_address, request_id, status)
                SELECT u.audit_at, u.actor_kind, NULLIF(u.actor_id, 0), u.actor_name, u.action, u.target,
                       u.remote_address, u.request_id, CASE WHEN u.inserted THEN 201 ELSE 200 END
                FROM matched u
            ), ev AS (
                INSERT INTO events (\(sql: AlertTriggerSQL.eventColumns))
                SELECT u.at, u.actor, \(sql: AlertTriggerSQL.eventValues)
                FROM matched u JOIN services s ON s.id = u.service_id
                ORDER BY u.n
                \(sql: AlertTriggerSQL.eventReturning)
            ), \(sql: EventFanOutSQL.deliveries)
            SELECT \(sql: AlertRecord.columns), a.inserted, a.n
            FROM matched a JOIN services s ON s.id = a.service_id
            """
    }
}
