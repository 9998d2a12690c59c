import CLibPQ

/// The per-connection prepared statement cache: a statement is parsed and planned by the
/// server once (`PQsendPrepare`), then only bound and executed (`PQsendQueryPrepared`).
extension PostgresConnection {
    /// The name of the prepared statement for `sql` with parameter `types`, preparing it on
    /// first use; nil when the cache is disabled or full (the caller then runs it unnamed).
    func preparedStatementName(sql: String, types: [UInt32], handle: OpaquePointer) throws -> String? {
        guard options.statementCacheCapacity > 0 else { return nil }
        let key = StatementKey(sql: sql, types: types)
        if let name = preparedStatements[key] { return name }
        guard preparedStatements.count < options.statementCacheCapacity else { return nil }
        let name = "incidentd_s\(nextStatementNumber)"
        nextStatementNumber += 1
        let sent = types.withUnsafeBufferPointer { types in
            PQsendPrepare(handle, name, sql, Int32(types.count), types.baseAddress)
        }
        _ = try check(try finishCommand(handle, sent: sent, sql: sql), sql: sql)
        preparedStatements[key] = name
        return name
    }

    /// Drops the cached statement for `sql` and `types`, deallocating it on the server when the
    /// session can still run statements.
    func forgetPreparedStatement(sql: String, types: [UInt32]) throws {
        guard let name = preparedStatements.removeValue(forKey: StatementKey(sql: sql, types: types)) else {
            return
        }
        // Inside a failed transaction DEALLOCATE would fail too; the unused name costs nothing.
        guard transactionStatus == .idle else { return }
        do {
            // `name` is generated above ("incidentd_s<number>"), never from input.
            try simpleQuery("DEALLOCATE \(name)")
        } catch let error as PostgresError where error.sqlState == "26000" {
            return  // Already gone: what we wanted.
        }
    }
}
