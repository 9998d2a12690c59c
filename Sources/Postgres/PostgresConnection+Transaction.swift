/// Transactions on one connection. `PostgresPool.withTransaction` adds retries on
/// serialization failures and deadlocks on top of this.
extension PostgresConnection {
    /// Transaction isolation levels (`BEGIN ISOLATION LEVEL ...`).
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` inside `BEGIN` ... `COMMIT`, once.
    ///
    /// The `BEGIN` is not sent on its own: it travels with the body's first statement in one
    /// round trip (pipeline mode, `PostgresConnection+Pipeline.swift`), and a body that sends no
    /// statement sends nothing at all.
    ///
    /// Statements the body queued with ``executeAtCommit(_:)`` go out with the `COMMIT`, in the
    /// same round trip (`PostgresConnection+CommitPipeline.swift`).
    ///
    /// A throwing body rolls back and its error is rethrown (a `PostgresError` marked with
    /// `transactionStep = .body`); its queued statements are never sent. Returns only after `COMMIT` succeeded: a failed `COMMIT`, a
    /// `COMMIT` the server turned into `ROLLBACK` (a statement failed and the body swallowed its
    /// error), or a transaction the body ended itself all throw (NOTES.md: COMMIT can fail).
    @discardableResult
    public func withTransaction<Result>(
        isolation: IsolationLevel? = nil, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        let begin = isolation.map { "BEGIN ISOLATION LEVEL \($0.rawValue)" } ?? "BEGIN"
        pendingBegin = begin
        statementsForCommit = []
        let value: Result
        do {
            value = try body(self)
        } catch {
            rollBackAfterFailure()
            guard var postgresError = error as? PostgresError else { throw error }
            if postgresError.transactionStep == nil { postgresError.transactionStep = .body }
            throw postgresError
        }
        try commit()
        return value
    }

    /// `COMMIT`, refusing to report success for a transaction that did not commit.
    private func commit() throws {
        let queued = statementsForCommit ?? []
        statementsForCommit = nil
        if pendingBegin != nil && queued.isEmpty {
            // The body sent no statement: there is no transaction on the server to commit.
            pendingBegin = nil
            return
        }
        switch transactionStatus {
        case .inTransaction:
            break
        case .failedTransaction:
            rollBackAfterFailure()
            throw PostgresError(
                .server,
                message:
                    "the transaction was rolled back: a statement in it failed and its error was not rethrown",
                sqlState: "25P02", transactionStep: .commit)
        case .idle:
            throw PostgresError(
                .protocolViolation, message: "the transaction was ended inside withTransaction",
                transactionStep: .commit)
        case .active, .unknown:
            isPoisoned = true
            throw PostgresError(
                isConnected ? .protocolViolation : .connectionLost,
                message: "the connection is not in a transaction block that can commit",
                transactionStep: .commit)
        }
        if !queued.isEmpty {
            // BEGIN (if still deferred), the queued statements and COMMIT: one round trip.
            return try commitPipeline(queued)
        }
        let rows = try runStep(.commit) { try simpleQuery("COMMIT") }
        // A COMMIT in an aborted transaction answers with the tag ROLLBACK and no error.
        guard rows.commandTag == "COMMIT" else {
            throw PostgresError(
                .server, message: "COMMIT answered \(rows.commandTag): the transaction was not saved",
                sqlState: "25P02", transactionStep: .commit)
        }
    }

    /// Rolls back after the body failed. If even that fails the session's state is unknown,
    /// so the connection is marked unusable (the pool then replaces it); the body's error is
    /// the one worth reporting.
    func rollBackAfterFailure() {
        statementsForCommit = nil
        if pendingBegin != nil {
            // Nothing was sent: nothing to roll back.
            pendingBegin = nil
            return
        }
        guard isConnected, transactionStatus != .idle else { return }
        do {
            try simpleQuery("ROLLBACK")
        } catch {
            isPoisoned = true
        }
    }

    /// Runs one step of the transaction, labelling a `PostgresError` with that step.
    private func runStep<Result>(_ step: PostgresError.TransactionStep, _ body: () throws -> Result) throws
        -> Result
    {
        do {
            return try body()
        } catch var error as PostgresError {
            error.transactionStep = step
            throw error
        }
    }
}
