import Foundation

/// When a maintenance window is in force (SPEC §12): once, from `starts_at` to `ends_at`, or on
/// every occurrence of a recurrence rule.
public enum MaintenanceTiming: Sendable, Hashable {
    case once(MaintenancePeriod)
    case recurring(Recurrence)

    /// The period in force at `instant`, or else the next one; nil when there is none (a one-off
    /// window that has ended).
    public func period(atOrAfter instant: Date) -> MaintenancePeriod? {
        switch self {
        case .once(let period): period.end > instant ? period : nil
        case .recurring(let recurrence): recurrence.period(atOrAfter: instant)
        }
    }

    /// The recurrence, for a recurring window.
    public var recurrence: Recurrence? {
        if case .recurring(let recurrence) = self { return recurrence }
        return nil
    }
}

/// Where a window stands at an instant (`GET /maintenance-windows?state=`).
public enum MaintenanceWindowState: String, Sendable, Hashable, CaseIterable {
    /// One of its periods is in force: its services' alerts are suppressed.
    case active
    /// Not in force now but it will be: a one-off window before its start, a recurring one
    /// between occurrences.
    case upcoming
    /// Over: a one-off window after its end, or any cancelled window.
    case past

    /// The state of a window with `timing`, cancelled or not, at `now`.
    public static func of(_ timing: MaintenanceTiming, cancelled: Bool, at now: Date)
        -> MaintenanceWindowState
    {
        guard !cancelled, let period = timing.period(atOrAfter: now) else { return .past }
        return period.contains(now) ? .active : .upcoming
    }
}
