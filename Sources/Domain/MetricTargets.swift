import Foundation

/// The incident KPIs seed 003 ("Incident Metrics") asks to track, reported beside the measured
/// values by `GET /reports/incident-metrics` (issue 7).
public enum MetricTargets {
    /// Mean time to detect (started → detected) below 5 minutes, in seconds.
    public static let mttd: TimeInterval = 5 * 60
    /// Mean time to acknowledge (detected → acknowledged) below 15 minutes, in seconds.
    public static let mtta: TimeInterval = 15 * 60
    /// Mean time to resolve (detected → resolved) below 60 minutes, in seconds.
    public static let mttr: TimeInterval = 60 * 60
    /// Fewer than this many incidents per week.
    public static let incidentsPerWeek: Double = 1
    /// Share of due post-mortems published: 100 % ...
    public static let postMortemCompletion: Double = 1.0
    /// ... for these severities.
    public static let postMortemSeverities: Set<IncidentSeverity> = [.sev1, .sev2]

    /// Whether a measured mean duration (seconds) meets a "below" target; nil (no data) is nil.
    public static func meets(_ measured: TimeInterval?, below target: TimeInterval) -> Bool? {
        measured.map { $0 < target }
    }

    /// Whether a measured completion share (0…1) meets ``postMortemCompletion``; nil when
    /// nothing was due.
    public static func meetsCompletion(_ measured: Double?) -> Bool? {
        measured.map { $0 >= postMortemCompletion }
    }
}
