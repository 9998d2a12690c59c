import Domain
import Foundation
import Log
import Postgres
import Repositories

/// The update-due reminder of SPEC §13–§14: a public SEV1/SEV2 incident open with no public
/// status update for its `next_update_minutes` gets one `incident.update_due` event per missed
/// interval, delivered through the outbox like any event (the event's own transaction writes
/// its deliveries to matching channels). Several processes may run it: rows are claimed with
/// `FOR UPDATE SKIP LOCKED` and the count of reminders sent moves in the same transaction
/// (``IncidentPublicationRepository/sendDueReminders(now:limit:)``), so each is sent once.
public final class UpdateDueJob: @unchecked Sendable {
    /// Seconds between passes: a reminder is at most this late. Short, because
    /// `next_update_minutes` goes down to 0.05 (3 s) for tests.
    public static let defaultInterval: TimeInterval = 1
    /// Incidents handled per transaction.
    public static let batchSize = 100

    private let pool: PostgresPool
    private let clock: @Sendable () -> Date
    private let logger: Logger
    /// Called after a pass appended something (the API drops its cached answers).
    private let onChange: @Sendable () -> Void
    /// Runs a pass every interval and logs one that fails.
    private let periodic: PeriodicJob

    public init(
        pool: PostgresPool, interval: TimeInterval = defaultInterval, logger: Logger = .disabled,
        clock: @escaping @Sendable () -> Date = { Date() }, onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.pool = pool
        self.clock = clock
        self.logger = logger
        self.onChange = onChange
        periodic = PeriodicJob(
            name: "update-due-job", interval: interval, logger: logger, failureEvent: "update_due_job_failed")
    }

    /// Starts the job's thread; a second call does nothing.
    public func start() { periodic.start { [self] in _ = try runOnce() } }

    /// Stops the thread and returns once its current pass, if any, has ended.
    public func stop() { periodic.stop() }

    /// One pass: reminders for every incident due now, batch by batch. Returns how many
    /// `incident.update_due` events this process appended.
    @discardableResult
    public func runOnce() throws -> Int {
        var total = 0
        while true {
            let now = clock()
            let sent = try pool.withTransaction { connection in
                try IncidentPublicationRepository(connection).sendDueReminders(
                    now: now, limit: Self.batchSize)
            }
            total += sent.events
            if sent.events > 0 {
                logger.info("update_due", ["events": .int(sent.events)])
                onChange()
            }
            if sent.incidents < Self.batchSize || periodic.isStopping { return total }
        }
    }
}
