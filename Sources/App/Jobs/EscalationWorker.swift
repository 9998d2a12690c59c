import API
import Domain
import Foundation
import Log
import Postgres
import Repositories
import Synchronization
import Threads

/// The escalation engine of SPEC §11, in every process: claims due escalation steps
/// (`FOR UPDATE SKIP LOCKED`) and fires them — the step's targets resolved at that moment, its
/// `incident.escalated` event, its `escalated` timeline entry and its page deliveries written,
/// and the escalation moved to its next due time — all in one transaction per batch
/// (``EscalationRepository/fireDue(now:limit:)``).
///
/// Timers live only in rows: a process killed between steps leaves the next step due in
/// `incident_escalations`, and whichever process looks next fires it, once (the claim is
/// exclusive and re-checks `state` under the row lock; the unique key on pages refuses a second
/// page). The thread sleeps until the earliest due step, at most ``Settings/pollInterval``
/// (≤ 1 s); a NOTIFY from a transaction that started an escalation wakes it at once.
public final class EscalationWorker: @unchecked Sendable {
    /// The NOTIFY channel of migration 0012's trigger.
    public static let channel = "incidentd_escalations"

    /// How the worker runs (docs/ESCALATION.md, docs/OPERATIONS.md).
    public struct Settings: Sendable {
        /// Longest sleep between two looks (`INCIDENTD_ESCALATION_POLL_MS`, SPEC §11: ≤ 1 s).
        public var pollInterval: TimeInterval = 1
        /// Escalations fired per transaction (`INCIDENTD_ESCALATION_BATCH`).
        public var batchSize = EscalationRepository.defaultBatch
        /// Worker threads per process (`INCIDENTD_ESCALATION_WORKERS`): they split due steps, and
        /// one's Swift work overlaps the other's round trips to PostgreSQL (docs/PERFORMANCE.md
        /// "Escalation").
        public var threads = 2

        public init() {}

        /// The defaults with the environment's settings applied.
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            if let text = environment["INCIDENTD_ESCALATION_POLL_MS"] {
                pollInterval =
                    Double(
                        try Configuration.int(text, name: "INCIDENTD_ESCALATION_POLL_MS", range: 10...1000))
                    / 1000
            }
            if let text = environment["INCIDENTD_ESCALATION_BATCH"] {
                batchSize = try Configuration.int(text, name: "INCIDENTD_ESCALATION_BATCH", range: 1...5000)
            }
            if let text = environment["INCIDENTD_ESCALATION_WORKERS"] {
                threads = try Configuration.int(text, name: "INCIDENTD_ESCALATION_WORKERS", range: 1...16)
            }
        }
    }

    private let pool: PostgresPool
    private let settings: Settings
    private let logger: Logger
    private let clock: @Sendable () -> Date
    /// Called after a pass changed something (the API drops its cached answers).
    private let onChange: @Sendable () -> Void
    private let threads: [RepeatingThread]
    private let listener: NotificationListener
    /// Woken by every NOTIFY and by ``stop()``.
    private let wake = ConditionSignal()
    private let stopping = Atomic(false)

    public init(
        pool: PostgresPool, conninfo: String, options: PostgresConnection.Options = .init(),
        settings: Settings = Settings(), logger: Logger = .disabled,
        clock: @escaping @Sendable () -> Date = { Date() }, onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.pool = pool
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.onChange = onChange
        threads = (0..<settings.threads).map { RepeatingThread(name: "escalation-worker-\($0)", pause: 0) }
        let wake = self.wake
        listener = NotificationListener(
            name: "escalation_listener", conninfo: conninfo, options: options, channels: [Self.channel],
            checkInterval: .seconds(5), logger: logger,
            handlers: NotificationListener.Handlers(heard: { _, _ in wake.wake(all: true) }))
    }

    /// Starts the listener and the worker threads; a second call does nothing.
    public func start() {
        listener.start()
        for thread in threads {
            thread.start { [self] in
                // Taken before the pass: a NOTIFY during it cuts the wait after it short.
                let seen = wake.ticket()
                var nextDue: Date?
                do {
                    try drain(stopping: { thread.isStopping })
                    nextDue = try pool.withConnection { try EscalationRepository($0).nextDue() }
                } catch {
                    // The database may be away for a while; the next look tries again.
                    logger.error("escalation_worker_failed", ["error": .string("\(error)")])
                }
                waitForWork(since: seen, until: nextDue)
            }
        }
    }

    /// Stops every thread; returns once each has committed or rolled back its pass.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.wake(all: true)
        for thread in threads { thread.stop() }
        listener.stop()
    }

    /// Fires due steps batch after batch until none is due; returns how many steps fired.
    @discardableResult
    public func drain(stopping: () -> Bool = { false }) throws -> Int {
        var fired = 0
        while !stopping() {
            let pass = try runOnce()
            fired += pass.fired.count
            if pass.claimed < settings.batchSize { break }
        }
        return fired
    }

    /// One pass: one transaction firing up to ``Settings/batchSize`` due steps.
    @discardableResult
    public func runOnce() throws -> EscalationPass {
        let now = clock()
        let pass = try pool.withTransaction { connection in
            try EscalationRepository(connection).fireDue(now: now, limit: settings.batchSize)
        }
        for step in pass.fired {
            logger.info(
                step.reachedNobody ? "escalation_no_one_on_call" : "escalation_step_paged",
                [
                    "incident": .string(step.incident.description), "step": .int(step.position.step),
                    "loop": .int(step.position.loop), "pages": .int(step.pages),
                    "late_ms": .int(Int(max(0, now.timeIntervalSince(step.dueAt)) * 1000)),
                ])
        }
        for incident in pass.exhausted {
            logger.warning("escalation_exhausted", ["incident": .string(incident.description)])
        }
        if !pass.fired.isEmpty || !pass.exhausted.isEmpty || !pass.stopped.isEmpty { onChange() }
        return pass
    }

    /// Waits until a NOTIFY after ticket `seen`, ``stop()``, the next due step or
    /// ``Settings/pollInterval``. A step already due is held by another process (it was skipped):
    /// look again a moment later rather than spin.
    private func waitForWork(since seen: UInt64, until nextDue: Date?) {
        guard !stopping.load(ordering: .sequentiallyConsistent) else { return }
        var wait = settings.pollInterval
        if let nextDue { wait = min(wait, max(Self.minimumWait, nextDue.timeIntervalSince(clock()))) }
        wake.wait(since: seen, timeoutNanoseconds: UInt64(wait * 1_000_000_000))
    }

    /// Shortest wait between passes when a due step is held elsewhere.
    static let minimumWait: TimeInterval = 0.01
}
