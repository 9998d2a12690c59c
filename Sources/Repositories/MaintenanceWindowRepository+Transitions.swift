import Domain
import Foundation
import Postgres

/// What handling a window's due transitions did, for the job's log and the API's answer.
public struct MaintenanceTransition: Sendable {
    public let window: MaintenanceWindowRecord
    /// The period whose start or end was handled.
    public let period: MaintenancePeriod
    /// `maintenance.started` was appended.
    public let started: Bool
    /// `maintenance.ended` was appended: the alerts it held back were handed on.
    public let ended: Bool
    /// Alerts handled as if they had just triggered (SPEC §12), as they are afterwards.
    public let released: [AlertRecord]
    /// Alerts another window over their service now holds back.
    public let heldByAnother: [AlertRecord]
    /// Incidents those alerts opened or joined.
    public let grouped: [IncidentGroupingResult]
}

extension MaintenanceWindowRepository {
    /// Windows with a transition due at `now` (a period's start not yet handled, or its end),
    /// at most `limit`, locked: another process's job skips them (SPEC §7, FOR UPDATE SKIP LOCKED),
    /// so each start and end is handled once whichever process gets there first.
    public func claimDue(now: Date, limit: Int) throws -> [MaintenanceWindowRecord] {
        try claimDueIDs(now: now, limit: limit).compactMap { try find(id: $0) }
    }

    /// The ids of ``claimDue(now:limit:)``, locked the same way, without reading the windows:
    /// the job learns which window it holds before anything about it can fail. `skipping` leaves
    /// out windows whose handling failed earlier in the same pass, so one that keeps failing does
    /// not hold up the rest.
    public func claimDueIDs(now: Date, limit: Int, skipping: [Int64] = []) throws -> [Int64] {
        try connection.query(
            """
            SELECT w.id FROM maintenance_windows w
            WHERE w.finished_at IS NULL
              AND ((w.period_started_at IS NULL AND w.next_starts_at <= \(now)) OR w.next_ends_at <= \(now))
              AND w.id <> ALL (\(skipping))
            ORDER BY w.next_starts_at, w.id
            LIMIT \(Int64(limit))
            FOR UPDATE SKIP LOCKED
            """
        ).map { try $0.decode("id") }
    }

    /// Handles what is due of `window` (claimed by ``claimDue(now:limit:)``, so locked) at `now`:
    /// its stored period's start (`maintenance.started`) and, when that period is over, its end
    /// (``end(_:cancelled:actor:policy:now:)``), after which a recurring window moves on to its
    /// next period and a one-off window is finished. A period that passed while no process ran
    /// still gets both events, late: every period has exactly one start and one end.
    public func advance(_ window: MaintenanceWindowRecord, actor: String, policy: SLAPolicy, now: Date) throws
        -> MaintenanceTransition
    {
        let period = window.storedPeriod
        var started = false
        if window.periodStartedAt == nil, period.start <= now {
            try appendEvent(.maintenanceStarted, window, period: period, actor: actor, extra: [:], now: now)
            try connection.execute(
                "UPDATE maintenance_windows SET period_started_at = \(now), updated_at = \(now) WHERE id = \(window.id)"
            )
            started = true
        }
        guard period.end <= now else {
            return MaintenanceTransition(
                window: window, period: period, started: started, ended: false, released: [],
                heldByAnother: [],
                grouped: [])
        }
        let next = window.timing.recurrence.flatMap { $0.period(atOrAfter: now) }
        try connection.execute(
            """
            UPDATE maintenance_windows
            SET next_starts_at = COALESCE(\(next?.start), next_starts_at), next_ends_at = COALESCE(\(next?.end), next_ends_at),
                period_started_at = NULL, last_period_ended_at = \(now),
                finished_at = CASE WHEN \(next == nil) THEN \(now) END, updated_at = \(now)
            WHERE id = \(window.id)
            """)
        let ending = try end(window, cancelled: false, actor: actor, policy: policy, now: now)
        return MaintenanceTransition(
            window: window, period: period, started: started, ended: true, released: ending.released,
            heldByAnother: ending.heldByAnother, grouped: ending.grouped)
    }

    /// `DELETE /maintenance-windows/{id}`: cancels the window at `now`. A window in a period ends
    /// it at once, as its end would (events, alerts handed on); one before its period just stops.
    /// Cancelling a cancelled window changes nothing; a one-off window that already ended is a
    /// conflict. Nil when there is no such window.
    public func cancel(id: Int64, actor: String, policy: SLAPolicy, now: Date) throws
        -> MaintenanceTransition?
    {
        let rows = try connection.query(
            "SELECT \(sql: MaintenanceWindowRecord.columns) FROM maintenance_windows w WHERE w.id = \(id) FOR UPDATE"
        )
        guard let window = try records(rows).first else { return nil }
        let period = window.storedPeriod
        let unchanged = MaintenanceTransition(
            window: window, period: period, started: false, ended: false, released: [], heldByAnother: [],
            grouped: [])
        if window.cancelledAt != nil { return unchanged }
        if window.finishedAt != nil || (window.timing.recurrence == nil && period.end <= now) {
            throw DomainError.conflict("\(window.ref) already ended at \(period.end.formatted(.iso8601)).")
        }
        // A period that has begun (by the clock, whether or not the job has handled its start)
        // may hold alerts back: it ends now, with both of its events.
        let inPeriod = window.periodStartedAt != nil || period.start <= now
        var started = false
        if inPeriod, window.periodStartedAt == nil {
            try appendEvent(.maintenanceStarted, window, period: period, actor: actor, extra: [:], now: now)
            started = true
        }
        try connection.execute(
            """
            UPDATE maintenance_windows
            SET cancelled_at = \(now), cancelled_by = \(actor), finished_at = \(now), period_started_at = NULL,
                last_period_ended_at = CASE WHEN \(inPeriod) THEN \(now) ELSE last_period_ended_at END,
                updated_at = \(now)
            WHERE id = \(window.id)
            """)
        guard let cancelled = try find(id: id) else { return unchanged }
        guard inPeriod else {
            return MaintenanceTransition(
                window: cancelled, period: period, started: false, ended: false, released: [],
                heldByAnother: [],
                grouped: [])
        }
        let ending = try end(window, cancelled: true, actor: actor, policy: policy, now: now)
        return MaintenanceTransition(
            window: cancelled, period: period, started: started, ended: true, released: ending.released,
            heldByAnother: ending.heldByAnother, grouped: ending.grouped)
    }

    /// What ``end(_:cancelled:actor:policy:now:)`` did.
    struct PeriodEnding {
        let released: [AlertRecord]
        let heldByAnother: [AlertRecord]
        let grouped: [IncidentGroupingResult]
    }

    /// Ends the stored period of `window` (locked) at `now`: `maintenance.ended`, and every alert it
    /// still holds back is handed on (``handBack(windowID:actor:policy:now:)``).
    func end(_ window: MaintenanceWindowRecord, cancelled: Bool, actor: String, policy: SLAPolicy, now: Date)
        throws -> PeriodEnding
    {
        let ending = try handBack(windowID: window.id, actor: actor, policy: policy, now: now)
        try appendEvent(
            .maintenanceEnded, window, period: window.storedPeriod, actor: actor,
            extra: [
                "cancelled": .bool(cancelled),
                "released_alerts": .array(ending.released.map { .string($0.alert.ref.description) }),
                "incidents": .array(
                    Self.distinct(ending.grouped.map(\.incident.ref.description)).map(JSONValue.string)),
            ], now: now)
        return ending
    }

    /// `values` without repeats, in first-seen order (several alerts join one incident).
    static func distinct(_ values: [String]) -> [String] {
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }
    }
}
