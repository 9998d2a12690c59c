import Domain
import Foundation
import Postgres

/// What a trigger did.
public struct AlertTriggerResult: Sendable, Hashable {
    /// The alert after the trigger.
    public let record: AlertRecord
    /// True when the trigger opened a new alert; false when it was folded into the open alert
    /// with the same dedup key (event_count went up).
    public let isNew: Bool

    /// Whether SPEC §3 grouping applies: the alert is open, critical, in no incident yet and not
    /// held back by a maintenance window (SPEC §12). True for a new critical alert and for an open
    /// alert a repeat trigger raised to critical, or triggered again after its window ended.
    public var needsGrouping: Bool {
        record.severity.opensIncident && record.status.isOpen && record.incidentID == nil
            && !record.isSuppressed
    }
}

/// How a repeated trigger of an open alert is counted.
public enum AlertRepeatPolicy: Sendable {
    /// Every trigger counts (native API, PagerDuty): event_count + 1 and a timeline entry.
    case countEveryTrigger
    /// A repeat whose summary and details are unchanged changes nothing: Alertmanager resends
    /// firing alerts on every group update and retries whole notifications (issue 5: "processing
    /// the same notification twice must change nothing").
    case ignoreIdenticalRepeats
}

extension AlertRepository {
    /// Triggers `alert` on the service `serviceID` (SPEC §3 dedup): opens a new alert, or, when
    /// an open alert has the same dedup key, updates it (event_count + 1, last_seen_at, summary,
    /// details and links refreshed, severity raised if the new one is worse, never lowered).
    ///
    /// One statement: the upsert through the partial unique index `alerts_open_dedup_key`, its
    /// timeline entry (`alert_triggered` or `alert_deduplicated`, the bodies of
    /// `NewTimelineEntry.alertTriggered`/`alertDeduplicated`), its `alert.triggered` event and
    /// that event's deliveries (``EventFanOutSQL``). Concurrent triggers of one key, from
    /// any number of processes, queue on the index entry, so there is never a second open alert.
    ///
    /// Returns nil only with `.ignoreIdenticalRepeats` when the open alert was left unchanged.
    public func trigger(
        _ alert: NewAlert, serviceID: Int64, actor: String, now: Date,
        repeats: AlertRepeatPolicy = .countEveryTrigger
    ) throws -> AlertTriggerResult? {
        try trigger(alert, service: .id(serviceID), actor: actor, now: now, repeats: repeats)
    }

    /// Which service a trigger goes to.
    public enum TriggerService: Sendable, Hashable {
        /// The service with this id (it exists: a routing key's, or one just created).
        case id(Int64)
        /// The service with this name, looked up inside the trigger statement (one round trip
        /// instead of a `SELECT` before it); the trigger returns nil when there is none.
        case name(String)
    }

    /// ``trigger(_:serviceID:actor:now:repeats:)`` for a service given by id or by name. Also
    /// returns nil when `service` names no service: nothing was written, and the caller
    /// creates the service and triggers again by id.
    public func trigger(
        _ alert: NewAlert, service: TriggerService, actor: String, now: Date,
        repeats: AlertRepeatPolicy = .countEveryTrigger
    ) throws -> AlertTriggerResult? {
        let query = try Self.triggerStatement(
            alert, service: service, actor: actor, now: now, repeats: repeats)
        guard let row = try connection.query(query).first else { return nil }
        return try Self.triggerResult(row, alert: alert)
    }

    /// The statement of ``trigger(_:service:actor:now:repeats:)``: no row, and nothing written,
    /// when `service` names no service. (Group commit writes many triggers in one statement,
    /// ``triggerBatchStatements(_:)``.)
    private static func triggerStatement(
        _ alert: NewAlert, service: TriggerService, actor: String, now: Date, repeats: AlertRepeatPolicy
    ) throws -> PostgresQuery {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Most senders send neither: skip the encoder for the empty documents.
        let details =
            alert.details.isEmpty
            ? PostgresJSON("{}") : try PostgresJSON(encoding: alert.details, encoder: encoder)
        let links =
            alert.links.isEmpty
            ? PostgresJSON("[]") : try PostgresJSON(encoding: alert.links, encoder: encoder)
        let serviceCondition: PostgresQuery
        switch service {
        case .id(let id): serviceCondition = "s.id = \(id)"
        case .name(let name): serviceCondition = "s.name = \(name)"
        }
        switch repeats {
        case .countEveryTrigger:
            return triggerQuery(
                alert, service: serviceCondition, details: details, links: links, actor: actor, now: now,
                updateCondition: "")
        case .ignoreIdenticalRepeats:
            return triggerQuery(
                alert, service: serviceCondition, details: details, links: links, actor: actor, now: now,
                updateCondition:
                    " WHERE a.summary IS DISTINCT FROM EXCLUDED.summary OR a.details <> EXCLUDED.details")
        }
    }

    /// What a row of a trigger statement (``trigger(_:service:actor:now:repeats:)``,
    /// ``triggerBatchStatements(_:)``) says happened.
    public static func triggerResult(_ row: PostgresRow, alert: NewAlert) throws -> AlertTriggerResult {
        // The upsert always stores the details it was sent, and the links it was sent unless
        // those are empty (then it keeps the alert's): decode only what the request lacks.
        var storedLinks = alert.links
        if storedLinks.isEmpty {
            let text = try row.decode("links", as: PostgresJSON.self)
            if text.text != "[]" { storedLinks = try text.decode(as: [AlertLink].self) }
        }
        let record = try AlertRecord(row: row, details: alert.details, links: storedLinks)
        return AlertTriggerResult(record: record, isNew: try row.decode("inserted"))
    }

    /// The upsert + timeline statement for the service matching `service` (a condition on
    /// `services s`); `updateCondition` is fixed SQL text or empty.
    private static func triggerQuery(
        _ alert: NewAlert, service: PostgresQuery, details: PostgresJSON, links: PostgresJSON, actor: String,
        now: Date,
        updateCondition: StaticString
    ) -> PostgresQuery {
        """
        WITH upserted AS (
            INSERT INTO alerts AS a (service_id, source, summary, severity, dedup_key, details, links,
                                     first_seen_at, last_seen_at, updated_at, suppressed_by)
            SELECT s.id, \(alert.source), \(alert.summary), \(alert.severity.rawValue), \(alert.dedupKey),
                   \(details), \(links), \(now), \(now), \(now), mw.id
            FROM services s CROSS JOIN (SELECT \(now)::timestamptz AS at, 0::int8 AS skip) mw_at
            \(sql: AlertTriggerSQL.activeWindow)
            WHERE \(service)
            \(sql: AlertTriggerSQL.onConflict)\(sql: updateCondition)
            RETURNING a.*, (a.xmax = 0) AS inserted
        ), entry AS (
            INSERT INTO timeline_entries (alert_id, service_id, actor, occurred_at, created_at, kind, body, data)
            SELECT u.id, u.service_id, \(actor), \(now), \(now), \(sql: AlertTriggerSQL.timelineKindBodyData)
            FROM upserted u
        ), ev AS (
            INSERT INTO events (\(sql: AlertTriggerSQL.eventColumns))
            SELECT \(now), \(actor), \(sql: AlertTriggerSQL.eventValues)
            FROM upserted u JOIN services s ON s.id = u.service_id
            \(sql: AlertTriggerSQL.eventReturning)
        ), \(sql: EventFanOutSQL.deliveries)
        SELECT \(sql: AlertRecord.columns), a.inserted
        FROM upserted a JOIN services s ON s.id = a.service_id
        """
    }
}
