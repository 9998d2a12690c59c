import API
import Domain
import Foundation
import Log
import Postgres
import Repositories

/// The background job of SPEC §3: marks incidents not acknowledged by their `ack_due_at` as
/// `sla_breached` and records one `escalated` entry each, exactly once whichever of several
/// `incidentd` processes gets there first (SPEC §7: rows are claimed with
/// `FOR UPDATE SKIP LOCKED`, see ``IncidentRepository/escalateOverdue(now:limit:)``).
///
/// One thread per process wakes every ``Settings/interval``, escalates in batches until none
/// is overdue, and sleeps again; ``stop()`` wakes it and waits for it to finish its pass.
public final class SLABreachJob: @unchecked Sendable {
    /// How often the job looks and how much it takes at once.
    public struct Settings: Sendable {
        /// Seconds between passes (`INCIDENTD_SLA_CHECK_INTERVAL`, default 5 s): an incident is
        /// escalated at most this long after its deadline.
        public var interval: TimeInterval
        /// Incidents escalated per transaction.
        public var batchSize: Int

        public static let defaultInterval: TimeInterval = 5

        public init(
            interval: TimeInterval = defaultInterval,
            batchSize: Int = IncidentRepository.defaultEscalationBatch
        ) {
            self.interval = interval
            self.batchSize = batchSize
        }

        /// Settings from the environment: `INCIDENTD_SLA_CHECK_INTERVAL` as a duration (`5s`,
        /// `1m`, or seconds).
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            let name = "INCIDENTD_SLA_CHECK_INTERVAL"
            if let text = environment[name] {
                guard let seconds = SLAPolicy.parseDuration(text) else {
                    throw ConfigurationError("\(name) must be a duration such as 5s or 1m, got '\(text)'")
                }
                interval = seconds
            }
        }
    }

    private let pool: PostgresPool
    private let settings: Settings
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// Called after a pass escalated something (the API drops its cached answers).
    private let onChange: @Sendable () -> Void
    /// Runs a pass every interval and logs one that fails.
    private let periodic: PeriodicJob

    public init(
        pool: PostgresPool, settings: Settings = Settings(), logger: Logger = .disabled,
        clock: @escaping @Sendable () -> Date = { Date() }, onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.onChange = onChange
        self.pool = pool
        self.settings = settings
        self.logger = logger
        self.clock = clock
        periodic = PeriodicJob(
            name: "sla-breach-job", interval: settings.interval, logger: logger,
            failureEvent: "sla_job_failed")
    }

    /// Starts the job's thread; a second call does nothing.
    public func start() { periodic.start { [self] in _ = try runOnce() } }

    /// Stops the thread and returns once its current pass, if any, has committed or rolled back.
    public func stop() { periodic.stop() }

    /// One pass: escalates overdue incidents, batch by batch, until none is left. Returns how
    /// many this process escalated. Each batch is its own transaction.
    @discardableResult
    public func runOnce() throws -> Int {
        var total = 0
        while true {
            let now = clock()
            let escalated = try pool.withTransaction { connection in
                try IncidentRepository(connection).escalateOverdue(now: now, limit: settings.batchSize)
            }
            for incident in escalated {
                logger.warning(
                    "sla_breached",
                    [
                        "incident": .string(incident.ref.description),
                        "severity": .string(incident.severity.rawValue),
                        "ack_due_at": .string(incident.ackDueAt.formatted(.iso8601)),
                    ])
            }
            total += escalated.count
            if !escalated.isEmpty { onChange() }
            if escalated.count < settings.batchSize || periodic.isStopping { return total }
        }
    }
}
