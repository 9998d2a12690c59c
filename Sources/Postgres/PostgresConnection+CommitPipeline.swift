/// Statements sent together with a transaction's `COMMIT`, in one round trip (issue 5
/// performance: the request's audit row no longer costs a round trip of its own).
///
/// The statements still belong to the transaction: if one fails, `COMMIT` is skipped by the
/// server, the transaction is rolled back and the statement's error is thrown, exactly as if it
/// had been sent from the body. Their results are not returned.
extension PostgresConnection {
    /// A statement queued by ``executeAtCommit(_:)``, ready for the pipeline.
    struct CommitStatement {
        let statement: PipelineStatement
        /// The bind types, the other half of the prepared statement's cache key.
        let types: [UInt32]
    }

    /// Queues `query` to run at the end of the current `withTransaction`, in the same round trip
    /// as its `COMMIT` (and its `BEGIN` too, when the body sent nothing else). Results are
    /// discarded.
    ///
    /// If the statement fails (a constraint, a trigger, ...), nothing commits and
    /// `withTransaction` throws its error (`transactionStep == .body`); a lost connection during
    /// that round trip is reported at `.commit` (the outcome is unknown: never re-run). A body
    /// that throws never sends it. Throws `.protocolViolation` outside `withTransaction`.
    public func executeAtCommit(_ query: PostgresQuery) throws {
        guard statementsForCommit != nil else {
            throw PostgresError(
                .protocolViolation, message: "executeAtCommit is only valid inside withTransaction",
                query: query.sql)
        }
        if let problem = query.problem {
            throw PostgresError(.protocolViolation, message: problem, query: query.sql)
        }
        let types = query.binds.map(\.type.rawValue)
        // Prepared now (once per connection): a statement the server cannot parse fails here, in
        // the body, rather than at COMMIT.
        let name = try preparedStatementName(sql: query.sql, types: types, handle: try openHandle())
        let statement = PipelineStatement(sql: query.sql, preparedName: name, binds: query.binds, step: .body)
        statementsForCommit?.append(CommitStatement(statement: statement, types: types))
    }

    /// Sends a deferred `BEGIN` (if any), `queued` and `COMMIT` as one pipeline. Called by
    /// `commit()` once the transaction is known to be open and healthy.
    func commitPipeline(_ queued: [CommitStatement]) throws {
        var statements: [PipelineStatement] = []
        if let begin = pendingBegin {
            pendingBegin = nil
            statements.append(PipelineStatement(sql: begin, preparedName: nil, binds: [], step: .begin))
        }
        statements += queued.map(\.statement)
        statements.append(PipelineStatement(sql: "COMMIT", preparedName: nil, binds: [], step: .commit))
        _ = try runTransactionPipeline(statements, prepared: queued.map { ($0.statement.sql, $0.types) })
    }

    /// Runs a pipeline that ends with `COMMIT` and returns every statement's rows once the
    /// `COMMIT` returned OK. On failure: rolls back what the server still holds, labels a lost
    /// connection `.commit` (the outcome is unknown), forgets a prepared statement of
    /// `prepared` (sql, bind types) the server lost, and throws.
    func runTransactionPipeline(_ statements: [PipelineStatement], prepared: [(sql: String, types: [UInt32])])
        throws -> [PostgresRows]
    {
        let rows: [PostgresRows]
        do {
            rows = try runPipeline(statements)
        } catch var error as PostgresError {
            // A statement failed: the server skipped COMMIT and holds the failed transaction. A
            // COMMIT that failed ended it already; a poisoned session is dropped.
            if !isPoisoned { rollBackAfterFailure() }
            // NOTES.md: COMMIT may have run before the connection went; the outcome is unknown,
            // which `.commit` tells the retry logic (PostgresPool.isWorthRetrying).
            if error.kind == .connectionLost || error.kind == .deadlineExceeded
                || error.transactionStep == nil
            {
                error.transactionStep = .commit
            }
            if error.sqlState == "0A000" || error.sqlState == "26000",
                let failed = prepared.first(where: { $0.sql == error.query })
            {
                // As in query(_:): a plan invalidated by a migration, or a statement gone.
                try forgetPreparedStatement(sql: failed.sql, types: failed.types)
            }
            throw error
        }
        // A COMMIT in an aborted transaction answers with the tag ROLLBACK and no error.
        guard let tag = rows.last?.commandTag, tag == "COMMIT" else {
            throw PostgresError(
                .server,
                message:
                    "COMMIT answered \(rows.last?.commandTag ?? "nothing"): the transaction was not saved",
                sqlState: "25P02", transactionStep: .commit)
        }
        return rows
    }
}
