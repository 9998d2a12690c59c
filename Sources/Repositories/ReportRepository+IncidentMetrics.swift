import Domain
import Foundation

extension ReportRepository {
    /// Which incidents a report covers: detected in `[from, to)`, of `severities` (all when
    /// empty).
    public struct Window: Sendable, Hashable {
        public var from: Date
        public var to: Date
        public var severities: [IncidentSeverity]

        public init(from: Date, to: Date, severities: [IncidentSeverity] = []) {
            self.from = from
            self.to = to
            self.severities = severities
        }
    }

    /// One duration measured over many incidents, in seconds; nil statistics when `count` is 0.
    public struct Durations: Sendable, Hashable {
        /// Incidents that have both timestamps (e.g. MTTA skips never-acknowledged ones).
        public var count: Int
        public var mean: Double?
        /// Median, interpolated (`percentile_cont(0.5)`).
        public var p50: Double?
        /// 90th percentile, interpolated (`percentile_cont(0.9)`).
        public var p90: Double?

        public init(count: Int, mean: Double?, p50: Double?, p90: Double?) {
            self.count = count
            self.mean = mean
            self.p50 = p50
            self.p90 = p90
        }
    }

    /// The figures of one group of incidents (all of them, or one severity).
    public struct Group: Sendable, Hashable {
        public var incidents: Int
        /// Started → detected (seed 003: MTTD).
        public var timeToDetect: Durations
        /// Detected → acknowledged (MTTA).
        public var timeToAcknowledge: Durations
        /// Detected → resolved (MTTR).
        public var timeToResolve: Durations
        /// Incidents whose acknowledgement deadline passed (`sla_breached`).
        public var slaBreaches: Int

        public init(
            incidents: Int, timeToDetect: Durations, timeToAcknowledge: Durations, timeToResolve: Durations,
            slaBreaches: Int
        ) {
            self.incidents = incidents
            self.timeToDetect = timeToDetect
            self.timeToAcknowledge = timeToAcknowledge
            self.timeToResolve = timeToResolve
            self.slaBreaches = slaBreaches
        }

        /// A group without incidents.
        public static let empty = Group(
            incidents: 0, timeToDetect: .init(count: 0, mean: nil, p50: nil, p90: nil),
            timeToAcknowledge: .init(count: 0, mean: nil, p50: nil, p90: nil),
            timeToResolve: .init(count: 0, mean: nil, p50: nil, p90: nil), slaBreaches: 0)
    }

    /// Incidents detected in one ISO week (Monday 00:00 UTC onwards).
    public struct Week: Sendable, Hashable {
        public var start: CalendarDate
        public var incidents: Int

        public init(start: CalendarDate, incidents: Int) {
            self.start = start
            self.incidents = incidents
        }
    }

    /// Post-mortem completion (seed 003: 100 % for SEV-1/2).
    ///
    /// `due` counts resolved incidents of the required severities whose post-mortem is either
    /// published or past its due date; `published` the first of those. A post-mortem still
    /// within its 48 h counts in neither, so a fresh incident does not lower the figure.
    public struct Completion: Sendable, Hashable {
        public var due: Int
        public var published: Int

        public init(due: Int, published: Int) {
            self.due = due
            self.published = published
        }

        /// `published / due`, nil when nothing was due.
        public var ratio: Double? { due == 0 ? nil : Double(published) / Double(due) }
    }

    /// Everything `GET /reports/incident-metrics` shows.
    public struct IncidentMetrics: Sendable, Hashable {
        public var window: Window
        public var overall: Group
        /// Every severity, also those without incidents (as ``Group/empty``).
        public var bySeverity: [IncidentSeverity: Group]
        /// Every week the window touches, oldest first, also weeks without incidents.
        public var perWeek: [Week]
        public var completion: Completion
        /// The severities whose post-mortems ``completion`` counts (from the policy).
        public var postMortemSeverities: [IncidentSeverity]
    }
}
