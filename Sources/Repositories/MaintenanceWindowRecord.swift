import Domain
import Foundation
import Postgres

/// A stored maintenance window (SPEC §12, migration 0014): its rules and where it stands.
public struct MaintenanceWindowRecord: Sendable, Hashable {
    public let id: Int64
    public let description: String
    public let isPublic: Bool
    /// True when it covers every service (it named none).
    public let allServices: Bool
    /// The services it names, by name (empty with ``allServices``).
    public let services: [ServiceName]
    public let timing: MaintenanceTiming
    /// A one-off window's start, a recurring window's DTSTART as an instant.
    public let startsAt: Date
    /// The period in force or next, as stored: what the alert trigger statements and the
    /// transition job read. The job moves a recurring window on at the end of each period.
    public let storedPeriod: MaintenancePeriod
    /// When the stored period's start was handled (`maintenance.started` appended).
    public let periodStartedAt: Date?
    /// When it was over for good: its one period ended, or it was cancelled.
    public let finishedAt: Date?
    public let cancelledAt: Date?
    public let cancelledBy: String?
    public let createdBy: String
    public let createdAt: Date
    public let updatedAt: Date

    /// A service a window names.
    public struct ServiceName: Sendable, Hashable {
        public let id: Int64
        public let name: String
    }

    /// `MW-<id>`.
    public var ref: EntityRef { .maintenanceWindow(id) }

    /// The period in force at `now` or next; nil once the window is over. The stored period,
    /// unless it has ended and the transition job has not yet moved the window on (it does
    /// within its interval): then the rule's own answer.
    public func period(at now: Date) -> MaintenancePeriod? {
        guard finishedAt == nil else { return nil }
        if storedPeriod.end > now { return storedPeriod }
        return timing.recurrence.flatMap { $0.period(atOrAfter: now) }
    }

    /// Where the window stands at `now` (the same rule as the list filters' SQL).
    public func state(at now: Date) -> MaintenanceWindowState {
        guard let period = period(at: now) else { return .past }
        return period.contains(now) ? .active : .upcoming
    }
}

extension MaintenanceWindowRecord {
    /// Columns every window query selects; `w` is `maintenance_windows`.
    static let columns: StaticString = """
        w.id, w.description, w.public, w.all_services, w.starts_at, w.ends_at, w.rrule, w.time_zone, w.rule_start,
        w.duration_seconds, w.next_starts_at, w.next_ends_at, w.period_started_at, w.finished_at, w.cancelled_at,
        w.cancelled_by, w.created_by, w.created_at, w.updated_at
        """

    /// Decodes a row selected with ``columns``; `services` are the window's, by name.
    init(row: PostgresRow, services: [ServiceName]) throws {
        id = try row.decode("id")
        description = try row.decode("description")
        isPublic = try row.decode("public")
        allServices = try row.decode("all_services")
        self.services = services
        startsAt = try row.decode("starts_at")
        if let text: String = try row.decode("rrule") {
            timing = .recurring(try Self.recurrence(row, rule: text))
        } else {
            let end: Date? = try row.decode("ends_at")
            guard let end else {
                throw PostgresError(
                    .decoding, message: "a one-off maintenance window without ends_at", column: "ends_at")
            }
            timing = .once(MaintenancePeriod(start: startsAt, end: end))
        }
        storedPeriod = MaintenancePeriod(
            start: try row.decode("next_starts_at"), end: try row.decode("next_ends_at"))
        periodStartedAt = try row.decode("period_started_at")
        finishedAt = try row.decode("finished_at")
        cancelledAt = try row.decode("cancelled_at")
        cancelledBy = try row.decode("cancelled_by")
        createdBy = try row.decode("created_by")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }

    /// The stored rule, zone, DTSTART and duration as a ``Recurrence``.
    private static func recurrence(_ row: PostgresRow, rule text: String) throws -> Recurrence {
        let zoneName: String? = try row.decode("time_zone")
        let startText: String? = try row.decode("rule_start")
        let duration: Int32? = try row.decode("duration_seconds")
        guard case .success(let rule) = RecurrenceRule.parse(text) else {
            throw PostgresError(
                .decoding, message: "a stored rule that does not parse: \(text)", column: "rrule")
        }
        guard let zone = zoneName.flatMap(ScheduleZone.init(identifier:)) else {
            throw PostgresError(.decoding, message: "an unknown stored zone", column: "time_zone")
        }
        guard let start = startText.flatMap(LocalDateTime.init(parsing:)), let duration else {
            throw PostgresError(
                .decoding, message: "a recurring window without DTSTART or duration", column: "rule_start")
        }
        return Recurrence(rule: rule, zone: zone, start: start, durationSeconds: Int64(duration))
    }
}
