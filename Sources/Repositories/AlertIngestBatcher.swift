import Postgres

/// Concurrent alert triggers sharing one statement and one COMMIT (issue 5, ADR 0004): the
/// way in for the API's group-commit path, which never sees a row or a database error kind.
public final class AlertIngestBatcher: Sendable {
    private let committer: GroupCommitter<AlertTriggerBatch>

    /// `lanes` batches may run at once; one key always uses the same lane.
    public init(pool: PostgresPool, lanes: Int) {
        committer = GroupCommitter(pool: pool, work: AlertTriggerBatch(), partitions: lanes)
    }

    /// Batches run and the triggers in them since start.
    public var stats: GroupCommitStats { committer.stats }

    /// Triggers `trigger` in the next batch of its lane and returns once that batch committed.
    /// Nil: nothing of it was written and it must take the usual path (its service does not
    /// exist yet, or the batch failed and committed nothing). Throws when it must not run
    /// again: committed but unreadable, a COMMIT whose answer was lost (it may have committed),
    /// or no connection to be had in time (the usual path would wait as long again for the same 503,
    /// which Alertmanager and the PagerDuty clients retry).
    public func trigger(_ trigger: BatchedTrigger) throws -> AlertTriggerResult? {
        switch committer.run(trigger, key: trigger.alert.service + "\u{0}" + trigger.alert.dedupKey) {
        case .committed(let result):
            return try result.get()
        case .failed(let error as PostgresError) where error.transactionStep == .commit:
            throw error
        case .failed(let error as PostgresError)
        where error.kind == .poolTimeout || error.kind == .poolClosed || error.kind == .connectFailed
            || error.kind == .deadlineExceeded:
            throw error
        case .failed:
            return nil
        }
    }
}
