/// Several statements as one transaction in one round trip: the database side of group commit
/// (issue 5: concurrent alert triggers share one `COMMIT`, each answered only after it).
extension PostgresConnection {
    /// Sends `BEGIN`, `queries` and `COMMIT` as one pipeline and returns each query's rows once
    /// `COMMIT` returned OK.
    ///
    /// All or nothing: if any query fails, the server skips the rest, nothing commits, the
    /// transaction is rolled back and the first error is thrown (`transactionStep == .body`; a
    /// failed `BEGIN` is `.begin`). A connection lost during the round trip is reported at
    /// `.commit`: the `COMMIT` may have run, so the outcome is unknown and must not be re-run
    /// blindly (NOTES.md). Must be called outside any transaction.
    public func queryInOneTransaction(_ queries: [PostgresQuery]) throws -> [PostgresRows] {
        guard pendingBegin == nil, statementsForCommit == nil, transactionStatus == .idle else {
            throw PostgresError(
                .protocolViolation,
                message: "queryInOneTransaction needs a connection outside any transaction")
        }
        let handle = try openHandle()
        var statements = [PipelineStatement(sql: "BEGIN", preparedName: nil, binds: [], step: .begin)]
        var types: [[UInt32]] = []
        for query in queries {
            if let problem = query.problem {
                throw PostgresError(.protocolViolation, message: problem, query: query.sql)
            }
            let bindTypes = query.binds.map(\.type.rawValue)
            // Prepared once per connection (its own round trip the first time only).
            let name = try preparedStatementName(sql: query.sql, types: bindTypes, handle: handle)
            statements.append(
                PipelineStatement(sql: query.sql, preparedName: name, binds: query.binds, step: .body))
            types.append(bindTypes)
        }
        statements.append(PipelineStatement(sql: "COMMIT", preparedName: nil, binds: [], step: .commit))
        let rows = try runTransactionPipeline(
            statements, prepared: zip(queries, types).map { ($0.sql, $1) })
        return Array(rows.dropFirst().dropLast())
    }
}
