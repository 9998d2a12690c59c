import Domain
import Foundation
import Log
import Postgres
import Repositories

/// The background job of SPEC §12 heartbeats: raises the alert of every heartbeat that stopped
/// pinging, through the usual alert path (a critical one opens an incident), once whichever of
/// several `incidentd` processes gets there first (SPEC §7: rows claimed with `FOR UPDATE SKIP
/// LOCKED`, ``HeartbeatRepository/expireDue(now:processStartedAt:policy:limit:)``).
///
/// Every process runs one, counting each heartbeat's silence from no earlier than its own
/// start (`processStartedAt`): a server that was down longer than an interval raises no false
/// expiry when it comes back (SPEC §14). It checks every ``Settings/interval`` (default 0.5 s),
/// so an expiry is raised within interval + grace + 1 s of the last ping. Read-only mode does
/// not stop it: paging must not stop.
public final class HeartbeatExpiryJob: @unchecked Sendable {
    /// How often the job looks and how much it takes at once.
    public struct Settings: Sendable {
        /// Seconds between passes (`INCIDENTD_HEARTBEAT_CHECK_MS`, default 500 ms).
        public var interval: TimeInterval
        /// Heartbeats expired per transaction.
        public var batchSize: Int

        public static let defaultInterval: TimeInterval = 0.5

        public init(
            interval: TimeInterval = defaultInterval, batchSize: Int = HeartbeatRepository.defaultExpiryBatch
        ) {
            self.interval = interval
            self.batchSize = batchSize
        }

        /// Settings from the environment: `INCIDENTD_HEARTBEAT_CHECK_MS`, 50 to 60000.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            if let text = environment["INCIDENTD_HEARTBEAT_CHECK_MS"] {
                interval =
                    Double(
                        try Configuration.int(text, name: "INCIDENTD_HEARTBEAT_CHECK_MS", range: 50...60_000))
                    / 1000
            }
        }
    }

    private let pool: PostgresPool
    private let settings: Settings
    private let policy: SLAPolicy
    private let processStartedAt: Date
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// Called after a pass expired something (the API drops its cached answers).
    private let onChange: @Sendable () -> Void
    /// Runs a pass every interval and logs one that fails.
    private let periodic: PeriodicJob

    /// `processStartedAt` is when this process began serving: no expiry counts time before it.
    public init(
        pool: PostgresPool, settings: Settings = Settings(), policy: SLAPolicy = SLAPolicy(),
        processStartedAt: Date,
        logger: Logger = .disabled, clock: @escaping @Sendable () -> Date = { Date() },
        onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.pool = pool
        self.settings = settings
        self.policy = policy
        self.processStartedAt = processStartedAt
        self.logger = logger
        self.clock = clock
        self.onChange = onChange
        periodic = PeriodicJob(
            name: "heartbeat-expiry", interval: settings.interval, logger: logger,
            failureEvent: "heartbeat_job_failed")
    }

    /// Starts the job's thread; a second call does nothing.
    public func start() { periodic.start { [self] in _ = try runOnce() } }

    /// Stops the thread and returns once its current pass, if any, has committed or rolled back.
    public func stop() { periodic.stop() }

    /// One pass: expires overdue heartbeats, batch by batch, until none is left. Returns the
    /// expiries this process raised. Each batch is its own transaction.
    @discardableResult
    public func runOnce() throws -> [HeartbeatExpiry] {
        var raised: [HeartbeatExpiry] = []
        while true {
            let now = clock()
            let batch = try pool.withTransaction { connection in
                try HeartbeatRepository(connection).expireDue(
                    now: now, processStartedAt: processStartedAt, policy: policy, limit: settings.batchSize)
            }
            for expiry in batch {
                logger.warning(
                    "heartbeat_expired",
                    [
                        "heartbeat": .string(expiry.heartbeat.name),
                        "service": .string(expiry.heartbeat.serviceName),
                        "alert": .string(expiry.alert.record.alert.ref.description),
                    ])
            }
            raised += batch
            if !batch.isEmpty { onChange() }
            if batch.count < settings.batchSize || periodic.isStopping { return raised }
        }
    }
}
