import API
import Domain
import Foundation
import Log
import Postgres
import Repositories

/// Maintenance windows' transitions (SPEC §12), in every process: each period's start appends
/// `maintenance.started`; its end appends `maintenance.ended` and hands every alert the window
/// still holds back to the usual path, as if it had just triggered (a critical one opens or joins
/// an incident, which pages), then moves a recurring window on to its next period.
///
/// Each start and end is handled once whichever process gets there first: due windows are
/// claimed with `FOR UPDATE SKIP LOCKED`, one transaction per window
/// (``MaintenanceWindowRepository/claimDueIDs(now:limit:skipping:)``); a window whose handling
/// fails is logged and left to the next pass without holding up the others. One thread per process looks every
/// ``Settings/interval``, so an end is handled within that interval (plus the work).
public final class MaintenanceWindowJob: @unchecked Sendable {
    /// How often the job looks.
    public struct Settings: Sendable {
        /// Seconds between passes (`INCIDENTD_MAINTENANCE_CHECK_MS`, default 500 ms): SPEC §12 asks
        /// for alerts held back to be handled within 2 s of the window's end.
        public var interval: TimeInterval
        /// Windows handled per pass at most (the next pass goes on).
        public var maxPerPass: Int

        public static let defaultInterval: TimeInterval = 0.5

        public init(interval: TimeInterval = defaultInterval, maxPerPass: Int = 100) {
            self.interval = interval
            self.maxPerPass = maxPerPass
        }

        /// Settings from the environment: `INCIDENTD_MAINTENANCE_CHECK_MS`, whole milliseconds
        /// from 10 to 60,000.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            let name = "INCIDENTD_MAINTENANCE_CHECK_MS"
            if let text = environment[name] {
                guard let milliseconds = Int(text.trimmingCharacters(in: .whitespaces)),
                    (10...60_000).contains(milliseconds)
                else {
                    throw ConfigurationError(
                        "\(name) must be whole milliseconds from 10 to 60000, got '\(text)'")
                }
                interval = TimeInterval(milliseconds) / 1000
            }
        }
    }

    private let pool: PostgresPool
    private let settings: Settings
    private let policy: SLAPolicy
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// Called after a pass changed alerts or incidents (the API drops its cached answers).
    private let onChange: @Sendable () -> Void
    /// Runs a pass every interval and logs one that fails.
    private let periodic: PeriodicJob

    public init(
        pool: PostgresPool, settings: Settings = Settings(), policy: SLAPolicy = SLAPolicy(),
        logger: Logger = .disabled, clock: @escaping @Sendable () -> Date = { Date() },
        onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.pool = pool
        self.settings = settings
        self.policy = policy
        self.logger = logger
        self.clock = clock
        self.onChange = onChange
        periodic = PeriodicJob(
            name: "maintenance-job", interval: settings.interval, logger: logger,
            failureEvent: "maintenance_job_failed")
    }

    /// Starts the job's thread; a second call does nothing.
    public func start() { periodic.start { [self] in _ = try runOnce() } }

    /// Stops the thread and returns once its current pass, if any, has committed or rolled back.
    public func stop() { periodic.stop() }

    /// One pass: every due start and end, one window per transaction, then the late-hold sweep
    /// (``MaintenanceWindowRepository/lateHoldSweep``). Returns the transitions this process
    /// handled.
    @discardableResult
    public func runOnce() throws -> [MaintenanceTransition] {
        var handled: [MaintenanceTransition] = []
        var failed: [Int64] = []
        while handled.count + failed.count < settings.maxPerPass, !periodic.isStopping {
            let now = clock()
            var claimed: Int64?
            do {
                let transition = try pool.withTransaction { connection in
                    let repository = MaintenanceWindowRepository(connection)
                    guard let id = try repository.claimDueIDs(now: now, limit: 1, skipping: failed).first
                    else {
                        return nil as MaintenanceTransition?
                    }
                    claimed = id
                    guard let window = try repository.find(id: id) else { return nil }
                    return try repository.advance(
                        window, actor: TimelineEntry.systemActor, policy: policy, now: now)
                }
                guard let transition else { break }
                log(transition)
                handled.append(transition)
            } catch {
                // Nothing claimed: the database is away, the next pass tries again. A window whose
                // handling failed (rolled back) is left to the next pass; the others go on now.
                guard let claimed else { throw error }
                logger.error(
                    "maintenance_window_failed",
                    [
                        "window": .string(EntityRef.maintenanceWindow(claimed).description),
                        "error": .string("\(error)"),
                    ])
                failed.append(claimed)
            }
        }
        let swept = try sweep()
        if !handled.isEmpty || swept > 0 { onChange() }
        return handled
    }

    /// Hands back alerts held by windows whose period ended lately; returns how many.
    private func sweep() throws -> Int {
        let now = clock()
        return try pool.withTransaction { connection in
            let repository = MaintenanceWindowRepository(connection)
            var count = 0
            for id in try repository.claimRecentlyEnded(now: now, limit: settings.maxPerPass) {
                let released = try repository.sweepLateHolds(
                    id, actor: TimelineEntry.systemActor, policy: policy, now: now)
                if !released.isEmpty {
                    logger.info(
                        "maintenance_late_alerts_handled",
                        [
                            "window": .string(EntityRef.maintenanceWindow(id).description),
                            "alerts": .int(released.count),
                        ])
                }
                count += released.count
            }
            return count
        }
    }

    private func log(_ transition: MaintenanceTransition) {
        let window = transition.window.ref.description
        if transition.started {
            logger.info(
                "maintenance_started",
                ["window": .string(window), "ends_at": .string(transition.period.end.formatted(.iso8601))])
        }
        if transition.ended {
            logger.info(
                "maintenance_ended",
                [
                    "window": .string(window), "alerts_handled": .int(transition.released.count),
                    "alerts_still_held": .int(transition.heldByAnother.count),
                    "incidents": .int(transition.grouped.count),
                ])
        }
    }
}
