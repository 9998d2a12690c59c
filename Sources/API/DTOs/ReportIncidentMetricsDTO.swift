import Domain
import Foundation
import Repositories

/// `GET /reports/incident-metrics` (issue 7): each figure beside its seed 003 target.
///
/// Durations are seconds. `meets_target` is null when there was nothing to measure.
struct ReportIncidentMetricsDTO: Encodable {
    let report: ReportRepository.IncidentMetrics

    enum CodingKeys: String, CodingKey {
        case from, to, severities, incidents, mttd, mtta, mttr
        case slaBreaches = "sla_breaches"
        case bySeverity = "by_severity"
        case perWeek = "per_week"
        case incidentRate = "incident_rate"
        case postMortemCompletion = "postmortem_completion"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.window.from, forKey: .from)
        try container.encode(report.window.to, forKey: .to)
        let severities =
            report.window.severities.isEmpty ? IncidentSeverity.allCases : report.window.severities
        try container.encode(severities.sorted().map(\.rawValue), forKey: .severities)
        try container.encode(report.overall.incidents, forKey: .incidents)
        try container.encode(
            DurationsDTO(report.overall.timeToDetect, target: MetricTargets.mttd), forKey: .mttd)
        try container.encode(
            DurationsDTO(report.overall.timeToAcknowledge, target: MetricTargets.mtta), forKey: .mtta)
        try container.encode(
            DurationsDTO(report.overall.timeToResolve, target: MetricTargets.mttr), forKey: .mttr)
        try container.encode(report.overall.slaBreaches, forKey: .slaBreaches)
        try container.encode(
            severities.sorted().map { SeverityDTO(severity: $0, group: report.bySeverity[$0] ?? .empty) },
            forKey: .bySeverity)
        try container.encode(report.perWeek.map(WeekDTO.init), forKey: .perWeek)
        try container.encode(RateDTO(report), forKey: .incidentRate)
        try container.encode(
            CompletionDTO(completion: report.completion, severities: report.postMortemSeverities),
            forKey: .postMortemCompletion)
    }

    /// Mean, p50, p90 of one duration and the target the mean is held against.
    struct DurationsDTO: Encodable {
        let durations: ReportRepository.Durations
        let target: TimeInterval

        init(_ durations: ReportRepository.Durations, target: TimeInterval) {
            self.durations = durations
            self.target = target
        }

        enum CodingKeys: String, CodingKey {
            case count
            case meanSeconds = "mean_seconds"
            case p50Seconds = "p50_seconds"
            case p90Seconds = "p90_seconds"
            case targetSeconds = "target_seconds"
            case meetsTarget = "meets_target"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(durations.count, forKey: .count)
            try container.encode(durations.mean, forKey: .meanSeconds)
            try container.encode(durations.p50, forKey: .p50Seconds)
            try container.encode(durations.p90, forKey: .p90Seconds)
            try container.encode(target, forKey: .targetSeconds)
            try container.encode(MetricTargets.meets(durations.mean, below: target), forKey: .meetsTarget)
        }
    }

    /// The figures of one severity.
    struct SeverityDTO: Encodable {
        let severity: IncidentSeverity
        let group: ReportRepository.Group

        enum CodingKeys: String, CodingKey {
            case severity, incidents, mttd, mtta, mttr
            case slaBreaches = "sla_breaches"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(severity.rawValue, forKey: .severity)
            try container.encode(group.incidents, forKey: .incidents)
            try container.encode(DurationsDTO(group.timeToDetect, target: MetricTargets.mttd), forKey: .mttd)
            try container.encode(
                DurationsDTO(group.timeToAcknowledge, target: MetricTargets.mtta), forKey: .mtta)
            try container.encode(DurationsDTO(group.timeToResolve, target: MetricTargets.mttr), forKey: .mttr)
            try container.encode(group.slaBreaches, forKey: .slaBreaches)
        }
    }

    /// Incidents detected in one week.
    struct WeekDTO: Encodable {
        let weekStart: CalendarDate
        let incidents: Int

        init(_ week: ReportRepository.Week) {
            weekStart = week.start
            incidents = week.incidents
        }

        enum CodingKeys: String, CodingKey {
            case incidents
            case weekStart = "week_start"
        }
    }

    /// Incidents per week over the whole window (seed 003: fewer than 1 per week).
    struct RateDTO: Encodable {
        let perWeek: Double
        let target: Double

        init(_ report: ReportRepository.IncidentMetrics) {
            let weeks = report.window.to.timeIntervalSince(report.window.from) / (7 * 86400)
            perWeek = weeks > 0 ? Double(report.overall.incidents) / weeks : 0
            target = MetricTargets.incidentsPerWeek
        }

        enum CodingKeys: String, CodingKey {
            case perWeek = "per_week"
            case targetPerWeek = "target_per_week"
            case meetsTarget = "meets_target"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(perWeek, forKey: .perWeek)
            try container.encode(target, forKey: .targetPerWeek)
            try container.encode(perWeek < target, forKey: .meetsTarget)
        }
    }

    /// Published / due post-mortems for the required severities (seed 003: 100 % for SEV-1/2).
    struct CompletionDTO: Encodable {
        let completion: ReportRepository.Completion
        let severities: [IncidentSeverity]

        enum CodingKeys: String, CodingKey {
            case due, published, ratio, target, severities
            case meetsTarget = "meets_target"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(severities.map(\.rawValue), forKey: .severities)
            try container.encode(completion.due, forKey: .due)
            try container.encode(completion.published, forKey: .published)
            try container.encode(completion.ratio, forKey: .ratio)
            try container.encode(MetricTargets.postMortemCompletion, forKey: .target)
            try container.encode(MetricTargets.meetsCompletion(completion.ratio), forKey: .meetsTarget)
        }
    }
}
