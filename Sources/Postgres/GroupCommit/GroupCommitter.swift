import Dispatch
import Synchronization

/// What one lane of a ``GroupCommitter`` runs for a batch of queued items: the statements of
/// one transaction, and how each item's result is read from their rows.
public protocol GroupCommitWork: Sendable {
    associatedtype Item: Sendable
    associatedtype Result: Sendable
    /// The plan for `items` (in key order); throwing fails every item of the batch.
    func plan(_ items: [Item]) throws -> GroupCommitPlan<Result>
}

/// Statements to run between `BEGIN` and `COMMIT`, and each item's result from their rows
/// (one result per item, in the order the items were given). `results` runs after the
/// `COMMIT`, so it cannot fail the batch: an item whose rows it cannot read says so in its
/// result (rerunning it would write it twice).
public struct GroupCommitPlan<Result> {
    public let statements: [PostgresQuery]
    public let results: ([PostgresRows]) -> [Result]

    public init(statements: [PostgresQuery], results: @escaping ([PostgresRows]) -> [Result]) {
        self.statements = statements
        self.results = results
    }
}

/// The simplest work: every item is one statement, and its result that statement's rows.
public struct OneStatementEach: GroupCommitWork {
    public init() {}

    public func plan(_ items: [PostgresQuery]) -> GroupCommitPlan<PostgresRows> {
        GroupCommitPlan(statements: items, results: { $0 })
    }
}

/// Batches run and the requests in them since start (a batch of one is a request alone).
public struct GroupCommitStats: Equatable, Sendable {
    public var batches = 0
    public var requests = 0

    public init(batches: Int = 0, requests: Int = 0) {
        self.batches = batches
        self.requests = requests
    }
}

/// Group commit (issue 5): concurrent requests whose whole database work fits the lane's
/// ``GroupCommitWork`` share one transaction and one round trip — `BEGIN`, the statements the
/// work plans for all of them, `COMMIT` in one pipeline — and each request is answered only
/// after that `COMMIT` returned OK.
///
/// Flat combining, no timer, in `partitions` independent lanes chosen by a hash of the request's
/// `key` (for alerts: service and dedup key). In a lane, the first request finds no batch
/// running and runs its own at once (alone when the server is quiet, so nothing waits for
/// company); requests arriving meanwhile queue, and when the batch finishes, the first queued
/// request leads the next one, taking every request queued by then (up to `maxBatch`). One
/// batch per lane at a time, several lanes at once, so the database still uses every core; and
/// since one key always lands in the same lane, two batches running at the same time never
/// touch the same alert: no waiting on each other's row locks in an alert storm, no deadlocks.
/// Items reach the work in `key` order.
///
/// All or nothing per batch: when one statement fails, nothing in the batch is committed and
/// every request learns it (its caller then runs it alone, the usual way).
public final class GroupCommitter<Work: GroupCommitWork>: Sendable {
    /// What happened to one request's item.
    public enum Outcome {
        /// Committed; the item's result.
        case committed(Work.Result)
        /// Nothing of the batch was committed (or, for a `COMMIT` whose answer was lost, nobody
        /// knows: the error says so with `transactionStep == .commit`).
        case failed(any Error)
    }

    /// One queued request, filled in by the batch's leader and handed back through `done`.
    private final class Ticket: @unchecked Sendable {
        let sortKey: String
        let item: Work.Item
        /// Written by the leader before it signals `done`; read by the owner after its wait.
        var outcome: Outcome?
        let done = DispatchSemaphore(value: 0)

        init(sortKey: String, item: Work.Item) {
            self.sortKey = sortKey
            self.item = item
        }
    }

    private struct State {
        var queue: [Ticket] = []
        var leading = false
        var stats = GroupCommitStats()
    }

    public let maxBatch: Int
    private let work: Work
    private let pool: PostgresPool
    private let lanes: [Lane]

    /// One lane's queue and whether a batch of it is running.
    private final class Lane: Sendable {
        let state = Mutex(State())
    }

    public init(pool: PostgresPool, work: Work, partitions: Int = 1, maxBatch: Int = 64) {
        self.pool = pool
        self.work = work
        self.maxBatch = max(1, maxBatch)
        lanes = (0..<max(1, partitions)).map { _ in Lane() }
    }

    public var stats: GroupCommitStats {
        lanes.reduce(into: GroupCommitStats()) { total, lane in
            let stats = lane.state.withLock { $0.stats }
            total.batches += stats.batches
            total.requests += stats.requests
        }
    }

    /// Requests waiting for a batch to take them.
    public var queuedCount: Int { lanes.reduce(0) { $0 + $1.state.withLock { $0.queue.count } } }

    /// Runs `item` in a batch of the lane of `key` and returns once that batch committed or
    /// failed.
    public func run(_ item: Work.Item, key: String) -> Outcome {
        let ticket = Ticket(sortKey: key, item: item)
        let lane = lanes[Int(UInt(bitPattern: key.hashValue) % UInt(lanes.count))]
        let leads = lane.state.withLock { state -> Bool in
            if !state.leading {
                state.leading = true
                return true
            }
            state.queue.append(ticket)
            return false
        }
        if !leads {
            ticket.done.wait()
            // Either a leader ran this ticket, or one finished and made this request lead.
            if let outcome = ticket.outcome { return outcome }
        }
        lead(with: ticket, in: lane)
        // Non-nil: `lead` ran this ticket's batch.
        return ticket.outcome!
    }

    /// Runs one batch of `lane`: `own` and whatever queued before it, then hands the
    /// lead on.
    private func lead(with own: Ticket, in lane: Lane) {
        let others = lane.state.withLock { state -> ArraySlice<Ticket> in
            let taken = state.queue.prefix(maxBatch - 1)
            state.queue.removeFirst(taken.count)
            state.stats.batches += 1
            state.stats.requests += 1 + taken.count
            return taken
        }
        let batch = ([own] + others).sorted { $0.sortKey < $1.sortKey }
        do {
            let plan = try work.plan(batch.map(\.item))
            let rows = try pool.withConnection { try $0.queryInOneTransaction(plan.statements) }
            let results = plan.results(rows)
            precondition(results.count == batch.count, "a group commit plan gave no result for some items")
            for (ticket, result) in zip(batch, results) { ticket.outcome = .committed(result) }
        } catch {
            for ticket in batch { ticket.outcome = .failed(error) }
        }
        let next = lane.state.withLock { state -> Ticket? in
            guard !state.queue.isEmpty else {
                state.leading = false
                return nil
            }
            return state.queue.removeFirst()
        }
        for ticket in batch where ticket !== own { ticket.done.signal() }
        // The lead passes on: the woken request finds no outcome and runs the next batch.
        next?.done.signal()
    }
}
