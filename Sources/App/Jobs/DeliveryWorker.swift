import API
import Foundation
import Log
import Notifications
import Postgres
import Repositories
import Synchronization
import Threads

/// The sender side of the outbox (SPEC §9), in every process: claims due pending deliveries
/// (`FOR UPDATE SKIP LOCKED`, one attempt counted per claim) and commits, sends each through
/// the ``DeliveryTransport`` outside any transaction, then records the outcome — delivered,
/// pending again after the backoff, or dead with its `delivery.dead` event (and the channel
/// disabled after a 410) — in a second transaction.
///
/// kill -9 between send and record: the delivery is still pending with its lease as due time,
/// so it is sent again when the lease ends, with the same `webhook-id` (at least once). Two
/// processes never send one attempt: a claim is exclusive, and a claimed delivery is not sent
/// once its lease is nearly over (``Settings/sendTimeout``).
///
/// ``Settings/senders`` threads send; a ``NotificationListener`` holds `LISTEN incidentd_deliveries`
/// and wakes one of them when a transaction that wrote deliveries commits (a sender that claims
/// a full batch wakes the next, so a backlog gets every sender). They also look every
/// ``Settings/pollInterval`` (≤ 1 s), so a lost connection or a retry coming due is never
/// missed for long.
public final class DeliveryWorker: @unchecked Sendable {
    /// The NOTIFY channel of migration 0009's triggers.
    public static let channel = "incidentd_deliveries"

    let pool: PostgresPool
    let conninfo: String
    let options: PostgresConnection.Options
    let transport: any DeliveryTransport
    let settings: Settings
    let logger: Logger
    let clock: @Sendable () -> Date
    let metrics: DeliveryMetrics
    private let senders: [RepeatingThread]
    private let listener: NotificationListener
    /// Woken by every NOTIFY and by ``stop()``; senders wait on it between looks.
    private let wake = ConditionSignal()
    /// Set by ``stop()``: senders stop waiting for work.
    private let stopping = Atomic(false)

    public init(
        pool: PostgresPool, conninfo: String, options: PostgresConnection.Options = .init(),
        transport: any DeliveryTransport, settings: Settings = Settings(), logger: Logger = .disabled,
        clock: @escaping @Sendable () -> Date = { Date() },
        metrics: DeliveryMetrics
    ) {
        self.pool = pool
        self.conninfo = conninfo
        self.options = options
        self.transport = transport
        self.settings = settings
        self.logger = logger
        self.clock = clock
        self.metrics = metrics
        senders = (0..<settings.senders).map {
            RepeatingThread(name: "delivery-send-\($0)", pause: 0)
        }
        let wake = self.wake
        listener = NotificationListener(
            name: "delivery_listener", conninfo: conninfo, options: options, channels: [Self.channel],
            checkInterval: .seconds(5), logger: logger,
            // One sender per NOTIFY: a commit that wrote a few deliveries is one claim, not one
            // per sender (each a transaction); a sender that claims a full batch wakes the next.
            handlers: NotificationListener.Handlers(heard: { _, _ in wake.wake(all: false) }))
    }

    /// Starts the listener and the sender threads; a second call does nothing.
    public func start() {
        listener.start()
        for sender in senders {
            sender.start { [self] in
                do {
                    _ = try drain(stopping: { sender.isStopping })
                } catch {
                    // The database may be away for a while; the next look tries again.
                    logger.error("delivery_worker_failed", ["error": .string("\(error)")])
                }
                waitForWork()
            }
        }
    }

    /// Stops every thread; returns once each has finished the delivery it was sending and
    /// recorded it.
    public func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        wake.wake(all: true)
        for sender in senders { sender.stop() }
        listener.stop()
    }

    /// Claims, sends and records batch after batch until nothing is due; returns how many
    /// deliveries this call attempted.
    @discardableResult
    public func drain(stopping: () -> Bool = { false }) throws -> Int {
        var total = 0
        while !stopping() {
            let attempted = try runOnce()
            total += attempted
            if attempted < settings.batchSize { break }
        }
        return total
    }

    /// One claim of up to ``Settings/batchSize`` due deliveries, each sent, their outcomes
    /// recorded together: in one transaction at the end of the batch, or sooner once the oldest
    /// unrecorded one has waited ``Settings/recordWithin`` (a slow receiver does not hold back
    /// the record of what was already sent). Returns how many were claimed.
    @discardableResult
    public func runOnce() throws -> Int {
        let claimedAt = clock()
        let claimed = try pool.withTransaction { connection in
            try DeliveryRepository(connection).claim(
                now: claimedAt, limit: settings.batchSize, lease: settings.lease)
        }
        // More may be due: another sender takes the next batch while this one sends.
        if claimed.count == settings.batchSize { wake.wake(all: false) }
        var unrecorded: [(ClaimedDelivery, DeliveryAttemptRecord)] = []
        var oldest: Date?
        for delivery in claimed {
            // Never send once the lease may end mid-send: another process may claim it then.
            guard clock().timeIntervalSince(claimedAt) < settings.lease - settings.sendTimeout else {
                logger.warning("delivery_lease_short", ["delivery": .int(Int(delivery.id))])
                continue
            }
            // A mail replies to its target's delivered mails about its incident, read from the
            // database: one of them may be waiting in this batch to be recorded.
            if delivery.target.kind == .email,
                unrecorded.contains(where: {
                    $0.0.target.channelID == delivery.target.channelID
                        && $0.0.target.contactMethodID == delivery.target.contactMethodID
                        && $0.1.result == .delivered
                })
            {
                try record(unrecorded)
                unrecorded = []
                oldest = nil
            }
            unrecorded.append((delivery, attempt(delivery)))
            let first = oldest ?? clock()
            oldest = first
            if clock().timeIntervalSince(first) >= settings.recordWithin {
                try record(unrecorded)
                unrecorded = []
                oldest = nil
            }
        }
        try record(unrecorded)
        return claimed.count
    }

    /// Waits until a NOTIFY, ``stop()`` or ``Settings/pollInterval``.
    private func waitForWork() {
        let seen = wake.ticket()
        guard !stopping.load(ordering: .sequentiallyConsistent) else { return }
        wake.wait(since: seen, timeoutNanoseconds: UInt64(settings.pollInterval * 1_000_000_000))
    }
}
