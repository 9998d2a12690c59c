import Postgres

/// Group-commit work for alert triggers (ADR 0004): a batch of triggers becomes one upsert
/// statement per round of repeated keys (``AlertRepository/triggerBatchStatements(_:)``), not
/// one statement per trigger, and each trigger gets its own answer back.
public struct AlertTriggerBatch: GroupCommitWork {
    /// A trigger's alert after the COMMIT: nil when its service does not exist (nothing of it
    /// was written); a failure when its row came back but could not be read (it was committed).
    public typealias Result = Swift.Result<AlertTriggerResult?, any Error>

    public init() {}

    public func plan(_ triggers: [BatchedTrigger]) throws -> GroupCommitPlan<Result> {
        let statements = try AlertRepository.triggerBatchStatements(triggers)
        return GroupCommitPlan(statements: statements.map(\.query)) { rows in
            var results = [Result](repeating: .success(nil), count: triggers.count)
            for (statement, rows) in zip(statements, rows) {
                for row in rows {
                    do {
                        let n = try row.decode("n", as: Int.self)
                        guard statement.members.indices.contains(n - 1) else {
                            throw PostgresError(
                                .protocolViolation,
                                message:
                                    "a trigger batch row names trigger \(n) of \(statement.members.count)")
                        }
                        let member = statement.members[n - 1]
                        results[member] = Swift.Result {
                            try AlertRepository.triggerResult(row, alert: triggers[member].alert)
                        }
                    } catch {
                        // Nobody can tell whose row this was: every member of the statement hears it.
                        for member in statement.members { results[member] = .failure(error) }
                    }
                }
            }
            return results
        }
    }
}
