import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/reports/incident-metrics?from=&to=&severity=` (issue 7, seed 003 "Incident
/// Metrics"): MTTD, MTTA, MTTR, counts, SLA breaches and post-mortem completion over a window.
enum ReportController {
    /// The window when `from` is not given: the 30 days before `to`.
    static let defaultWindow: TimeInterval = 30 * 86400
    /// Longest window, about three years (422 beyond): bounds the per-week series.
    static let maxWindow: TimeInterval = 1096 * 86400

    /// Incidents are selected by `detected_at` in `[from, to)`. `from` and `to` are RFC 3339
    /// timestamps or `YYYY-MM-DD` days (midnight UTC); `severity` takes comma-separated values
    /// in any spelling ``IncidentSeverity/init(parsing:)`` accepts.
    @Sendable static func incidentMetrics(_ context: RequestContext) throws -> HTTPResponse {
        let window = try window(context.request.query, now: context.now)
        let report = try ReportRepository(context.connection).incidentMetrics(
            window, policy: context.environment.settings.slaPolicy, now: context.now)
        return try APIJSON.response(ReportIncidentMetricsDTO(report: report))
    }

    /// The report window from the query, every bad parameter reported at once (SPEC §4).
    static func window(_ query: QueryParameters, now: Date) throws -> ReportRepository.Window {
        var check = Validator()
        let to = instant(query, "to", into: &check) ?? now
        let from = instant(query, "from", into: &check) ?? to.addingTimeInterval(-defaultWindow)
        if from >= to {
            check.add("from", "must be earlier than to")
        } else if to.timeIntervalSince(from) > maxWindow {
            check.add("from", "the window from from to to must be at most \(Int(maxWindow / 86400)) days")
        }
        var severities: Set<IncidentSeverity> = []
        for text in query.listValues("severity") {
            guard let severity = IncidentSeverity(parsing: text) else {
                check.add("severity", "must be SEV1..SEV4 (or P1..P4, critical, high, medium, low)")
                continue
            }
            severities.insert(severity)
        }
        try check.finish()
        return ReportRepository.Window(from: from, to: to, severities: severities.sorted())
    }

    /// An RFC 3339 timestamp or a `YYYY-MM-DD` day; nil (with an issue when present but bad).
    static func instant(_ query: QueryParameters, _ name: String, into check: inout Validator) -> Date? {
        guard let text = Validator.trimmed(query[name]) else { return nil }
        if let date = RFC3339.parse(text) { return date }
        if let day = CalendarDate(parsing: text) { return day.startOfDay }
        check.add(
            name, "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z or a day such as 2026-11-22")
        return nil
    }
}
