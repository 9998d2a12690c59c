import CLibPQ

/// libpq pipeline mode (libpq 14+): several statements sent in one round trip.
///
/// Used for the deferred `BEGIN` of ``withTransaction(isolation:_:)``: the `BEGIN` travels with
/// the transaction's first statement instead of taking a round trip of its own (issue 5
/// performance). Every statement still gets its own result and its own error.
extension PostgresConnection {
    /// One statement of a pipeline: a prepared statement by name, or unnamed SQL.
    struct PipelineStatement {
        let sql: String
        let preparedName: String?
        let binds: [PostgresBindValue]
        /// The transaction step this statement's own error is labelled with (nil: unlabelled).
        var step: PostgresError.TransactionStep? = nil
    }

    /// Sends `statements` in one round trip (one sync point after the last) and returns the rows
    /// of each, or throws the first statement's error once the pipeline is drained. After an
    /// error the server skips the rest (libpq reports them as aborted); a `BEGIN` among them
    /// that succeeded leaves the transaction open in the failed state, as a failing statement
    /// would outside a pipeline.
    ///
    /// Anything unexpected — a send that fails, a result missing, the connection lost (NOTES.md:
    /// only `PQstatus` tells) — marks the connection poisoned, so the pool replaces it instead of
    /// lending out a session in an unknown state.
    func runPipeline(_ statements: [PipelineStatement]) throws -> [PostgresRows] {
        let handle = try openHandle()
        let sql = statements.map(\.sql).joined(separator: "; ")
        try checkDeadlineBeforeSending(sql: sql)
        guard PQenterPipelineMode(handle) == 1 else {
            throw abandonPipeline(handle, sql: sql, firstError: nil)
        }
        for statement in statements {
            let sent = Self.withParameters(statement.binds) { count, types, values, lengths, formats in
                if let name = statement.preparedName {
                    return PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
                }
                return PQsendQueryParams(handle, statement.sql, count, types, values, lengths, formats, 0)
            }
            guard sent == 1 else { throw abandonPipeline(handle, sql: statement.sql, firstError: nil) }
        }
        // Queues the sync message; the flush sends everything: the one round trip.
        guard PQpipelineSync(handle) == 1 else { throw abandonPipeline(handle, sql: sql, firstError: nil) }
        try flushOutput(handle, sql: sql)
        var rows: [PostgresRows] = []
        var firstError: PostgresError?
        for statement in statements {
            // Each statement yields one result (rows, an error, or "aborted"), then nil.
            guard let result = try nextResult(handle, sql: statement.sql) else {
                throw abandonPipeline(handle, sql: statement.sql, firstError: firstError)
            }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else {
                do {
                    rows.append(try check(result, sql: statement.sql))
                } catch var error as PostgresError {
                    if error.transactionStep == nil { error.transactionStep = statement.step }
                    if firstError == nil { firstError = error }
                }
            }
            while let extra = try nextResult(handle, sql: statement.sql) { PQclear(extra) }
        }
        guard let sync = try nextResult(handle, sql: sql) else {
            throw abandonPipeline(handle, sql: sql, firstError: firstError)
        }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else {
            throw abandonPipeline(handle, sql: sql, firstError: firstError)
        }
        if let firstError { throw firstError }
        guard rows.count == statements.count else {
            // Only reachable if the server skipped a statement without reporting an error.
            throw abandonPipeline(handle, sql: sql, firstError: nil)
        }
        return rows
    }

    /// The error for a pipeline that cannot be finished normally; poisons the connection.
    private func abandonPipeline(_ handle: OpaquePointer, sql: String, firstError: PostgresError?)
        -> PostgresError
    {
        isPoisoned = true
        let lost = Self.sessionEnded(handle)
        if var error = firstError {
            if lost { error.kind = .connectionLost }
            return error
        }
        return PostgresError(
            lost ? .connectionLost : .protocolViolation, message: Self.errorMessage(handle), query: sql)
    }

    /// Sends a deferred `BEGIN` on its own, for statements that cannot join a pipeline (the
    /// simple query protocol).
    func sendPendingBegin() throws {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        let handle = try openHandle()
        _ = try check(try finishCommand(handle, sent: PQsendQuery(handle, begin), sql: begin), sql: begin)
    }
}
