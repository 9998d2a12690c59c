import Domain
import Foundation
import Postgres

extension MaintenanceWindowRepository {
    /// How long after a period's end each job pass still looks for alerts held back by it: a
    /// trigger whose request began inside the period (so it found the window) but committed after
    /// the end was handled (so the end did not see it). Request transactions are far shorter.
    public static let lateHoldSweep: TimeInterval = 600

    /// Hands on every open alert window `windowID` still holds back at `now` (SPEC §12): to
    /// another window whose period covers its service now, which holds it from then on, or else
    /// back to the usual path, as if it had just triggered: the hold ends, and a critical alert in
    /// no incident opens or joins one (SPEC §3 grouping, which pages). Each alert gets a
    /// `maintenance_ended` timeline entry. The alerts are locked in id order.
    func handBack(windowID: Int64, actor: String, policy: SLAPolicy, now: Date) throws
        -> PeriodEnding
    {
        let ref = EntityRef.maintenanceWindow(windowID).description
        let rows = try connection.query(
            """
            WITH held AS (
                SELECT a.id, a.service_id FROM alerts a
                WHERE a.suppressed_by = \(windowID) AND a.suppression_ended_at IS NULL AND a.status <> 'resolved'
                ORDER BY a.id
                FOR UPDATE
            ), handed AS (
                SELECT h.id, mw.id AS other
                FROM held h JOIN services s ON s.id = h.service_id
                CROSS JOIN (SELECT \(now)::timestamptz AS at, \(windowID)::int8 AS skip) mw_at
                \(sql: AlertTriggerSQL.activeWindow)
            ), changed AS (
                UPDATE alerts a
                SET suppressed_by = COALESCE(n.other, a.suppressed_by),
                    suppression_ended_at = CASE WHEN n.other IS NULL THEN \(now)::timestamptz END,
                    updated_at = \(now)
                FROM handed n
                WHERE a.id = n.id AND a.suppressed_by = \(windowID) AND a.suppression_ended_at IS NULL
                  AND a.status <> 'resolved'
                RETURNING a.*, n.other
            ), entry AS (
                INSERT INTO timeline_entries (alert_id, service_id, actor, occurred_at, created_at, kind, body, data)
                SELECT c.id, c.service_id, \(actor), \(now), \(now), 'maintenance_ended',
                       CASE WHEN c.other IS NULL
                            THEN 'Maintenance ' || \(ref) || ' ended: ALR-' || c.id || ' is handled as if it had just triggered'
                            ELSE 'Maintenance ' || \(ref) || ' ended: ALR-' || c.id || ' is still held back by MW-' || c.other
                       END,
                       jsonb_build_object('maintenance', \(ref)::text,
                                          'suppressed_by', CASE WHEN c.other IS NOT NULL THEN 'MW-' || c.other END)
                FROM changed c
            )
            SELECT \(sql: AlertRecord.columns) FROM changed a JOIN services s ON s.id = a.service_id ORDER BY a.id
            """)
        let alerts = try rows.map(AlertRecord.init(row:))
        var released: [AlertRecord] = []
        var grouped: [IncidentGroupingResult] = []
        let incidents = IncidentRepository(connection)
        for alert in alerts where !alert.isSuppressed {
            let result = AlertTriggerResult(record: alert, isNew: false)
            if result.needsGrouping,
                let grouping = try incidents.group(alert, actor: actor, policy: policy, now: now)
            {
                grouped.append(grouping)
                var record = alert
                record.alert.incidentID = grouping.incident.id
                released.append(record)
            } else {
                released.append(alert)
            }
        }
        return PeriodEnding(
            released: released, heldByAnother: alerts.filter(\.isSuppressed), grouped: grouped)
    }

    /// The windows whose period ended within ``lateHoldSweep`` of `now` and that are not in a
    /// period now, locked (others skipped): each job pass hands back what they still hold
    /// (``sweepLateHolds(_:actor:policy:now:)``). Usually none, through an index.
    public func claimRecentlyEnded(now: Date, limit: Int) throws -> [Int64] {
        try connection.query(
            """
            SELECT w.id FROM maintenance_windows w
            WHERE w.last_period_ended_at > \(now.addingTimeInterval(-Self.lateHoldSweep))
              AND NOT (w.finished_at IS NULL AND w.next_starts_at <= \(now) AND w.next_ends_at > \(now))
              AND EXISTS (SELECT 1 FROM alerts a WHERE a.suppressed_by = w.id AND a.suppression_ended_at IS NULL
                                                   AND a.status <> 'resolved')
            ORDER BY w.id
            LIMIT \(Int64(limit))
            FOR UPDATE OF w SKIP LOCKED
            """
        ).map { try $0.decode("id") }
    }

    /// Hands back the alerts window `windowID` (claimed by ``claimRecentlyEnded(now:limit:)``) still
    /// holds after its period ended, as its end did.
    public func sweepLateHolds(_ windowID: Int64, actor: String, policy: SLAPolicy, now: Date) throws
        -> [AlertRecord]
    {
        try handBack(windowID: windowID, actor: actor, policy: policy, now: now).released
    }

    /// Appends `maintenance.started` or `maintenance.ended` about `window`'s `period` (SPEC §8) with
    /// its deliveries (``EventFanOutSQL``): subject the window, `service` its one service's name
    /// (else null), and every service it covers for channel filters (every service for a
    /// window over all of them).
    func appendEvent(
        _ type: EventType, _ window: MaintenanceWindowRecord, period: MaintenancePeriod, actor: String,
        extra: [String: JSONValue], now: Date
    ) throws {
        var data: [String: JSONValue] = [
            "description": .string(window.description), "public": .bool(window.isPublic),
            "all_services": .bool(window.allServices),
            "services": .array(window.services.map { .string($0.name) }),
            "starts_at": .string(period.start.formatted(.iso8601)),
            "ends_at": .string(period.end.formatted(.iso8601)),
            "recurring": .bool(window.timing.recurrence != nil),
            "rrule": window.timing.recurrence.map { .string($0.rule.description) } ?? .null,
            "time_zone": window.timing.recurrence.map { .string($0.zone.identifier) } ?? .null,
        ]
        data.merge(extra) { _, new in new }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let shown = window.services.count == 1 ? window.services[0].name : nil
        try connection.execute(
            """
            WITH ev AS (
                INSERT INTO events (occurred_at, actor, type, subject_kind, subject_id, subject_ref, service,
                                    service_ids, data)
                SELECT \(now), \(actor), \(type.rawValue), 'maintenance_window', w.id, 'MW-' || w.id, \(shown),
                       CASE WHEN w.all_services THEN ARRAY(SELECT s.id FROM services s ORDER BY s.id)
                            ELSE w.service_ids END,
                       \(try PostgresJSON(encoding: data, encoder: encoder))
                FROM maintenance_windows w WHERE w.id = \(window.id)
                \(sql: AlertTriggerSQL.eventReturning)
            ), \(sql: EventFanOutSQL.deliveries)
            SELECT count(*) FROM ev
            """)
    }
}
