import CLibPQ

extension PostgresConnection {
    /// Runs `query` and returns its rows.
    @discardableResult
    public func query(_ query: PostgresQuery) throws -> PostgresRows {
        if let problem = query.problem {
            throw PostgresError(.protocolViolation, message: problem, query: query.sql)
        }
        let handle = try openHandle()
        let sql = query.sql
        try checkDeadlineBeforeSending(sql: sql)
        let types = query.binds.map(\.type.rawValue)
        let preparedName = try preparedStatementName(sql: sql, types: types, handle: handle)
        if let begin = pendingBegin {
            // A transaction's first statement: BEGIN and the statement in one round trip.
            pendingBegin = nil
            do {
                return try runPipeline([
                    PipelineStatement(sql: begin, preparedName: nil, binds: []),
                    PipelineStatement(sql: sql, preparedName: preparedName, binds: query.binds),
                ])[1]
            } catch let error as PostgresError
                where preparedName != nil && (error.sqlState == "0A000" || error.sqlState == "26000")
            {
                // As below; inside the transaction the statement cannot simply run again.
                try forgetPreparedStatement(sql: sql, types: types)
                throw error
            }
        }
        guard let name = preparedName else {
            return try check(try execute(query.binds, sql: sql, handle: handle), sql: sql)
        }
        let sent = Self.withParameters(query.binds) { count, _, values, lengths, formats in
            PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
        }
        do {
            return try check(try finishCommand(handle, sent: sent, sql: sql), sql: sql)
        } catch let error as PostgresError where error.sqlState == "0A000" || error.sqlState == "26000" {
            // 0A000 "cached plan must not change result type" after a migration altered a table;
            // 26000 the statement vanished (DISCARD ALL). Forget it; outside a transaction, run
            // the statement once more unprepared.
            try forgetPreparedStatement(sql: sql, types: types)
            guard transactionStatus == .idle else { throw error }
            return try check(try execute(query.binds, sql: sql, handle: handle), sql: sql)
        }
    }

    /// Runs `sql` unnamed with `binds` (`PQsendQueryParams`) and returns its result.
    private func execute(_ binds: [PostgresBindValue], sql: String, handle: OpaquePointer) throws
        -> OpaquePointer?
    {
        let sent = Self.withParameters(binds) { count, types, values, lengths, formats in
            PQsendQueryParams(handle, sql, count, types, values, lengths, formats, 0)
        }
        return try finishCommand(handle, sent: sent, sql: sql)
    }

    /// Runs `query` and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) throws -> Int {
        try self.query(query).affectedRows
    }

    /// Runs SQL text that may hold several statements, without parameters (the simple query
    /// protocol), and returns the last statement's rows. For migration files only: nothing
    /// that came from a request may ever reach this.
    @discardableResult
    public func simpleQuery(_ sql: String) throws -> PostgresRows {
        // The simple query protocol cannot join a pipeline: a deferred BEGIN goes first.
        try checkDeadlineBeforeSending(sql: sql)
        try sendPendingBegin()
        let handle = try openHandle()
        return try check(try finishCommand(handle, sent: PQsendQuery(handle, sql), sql: sql), sql: sql)
    }

    func openHandle() throws -> OpaquePointer {
        guard let handle else { throw PostgresError(.connectionLost, message: "the connection is closed") }
        return handle
    }

    /// Turns a libpq result into rows, or into an error classified by the connection's state.
    func check(_ result: OpaquePointer?, sql: String) throws -> PostgresRows {
        let handle = try openHandle()
        guard let result else {
            let kind: PostgresError.Kind = Self.sessionEnded(handle) ? .connectionLost : .protocolViolation
            throw PostgresError(kind, message: Self.errorMessage(handle), query: sql)
        }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(result: result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            var error = Self.error(from: result, sql: sql)
            PQclear(result)
            // NOTES.md: after a server restart the error has no SQLSTATE; only the status tells.
            if PQstatus(handle) != CONNECTION_OK { error.kind = .connectionLost }
            if error.message.isEmpty { error.message = Self.errorMessage(handle) }
            throw error
        default:
            let status = String(cString: PQresStatus(PQresultStatus(result)))
            PQclear(result)
            throw PostgresError(.protocolViolation, message: "unexpected result status \(status)", query: sql)
        }
    }

    /// The fields of an error result (`PQresultErrorField`).
    static func error(from result: OpaquePointer, sql: String) -> PostgresError {
        // The PG_DIAG_* codes of postgres_ext.h are character macros Swift does not import.
        func field(_ code: Unicode.Scalar) -> String? {
            PQresultErrorField(result, Int32(code.value)).map { String(cString: $0) }
        }
        let message =
            field("M")
            ?? PQresultErrorMessage(result).map { String(cString: $0).trimmingTrailingNewlines() } ?? ""
        return PostgresError(
            .server, message: message, sqlState: field("C"), detail: field("D"), hint: field("H"),
            constraint: field("n"), schema: field("s"), table: field("t"), column: field("c"), query: sql)
    }

    /// Calls `body` with libpq's parameter arrays (count, types, values, lengths, formats); all
    /// parameters use the binary format.
    static func withParameters<Result>(
        _ binds: [PostgresBindValue],
        _ body: (
            Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?,
            UnsafePointer<Int32>?
        ) -> Result
    ) -> Result {
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        for bind in binds {
            if let bytes = bind.bytes {
                offsets.append(storage.count)
                storage += bytes
            } else {
                offsets.append(nil)
            }
        }
        // One spare byte so the buffer has an address even when every value is empty.
        storage.append(0)
        let types = binds.map { Oid($0.type.rawValue) }
        let lengths = binds.map { Int32($0.bytes?.count ?? 0) }
        let formats = [Int32](repeating: 1, count: binds.count)
        return storage.withUnsafeBufferPointer { buffer in
            // The buffer is non-empty (spare byte); UInt8 and CChar may alias.
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values = offsets.map { offset in offset.map { base + $0 } }
            return values.withUnsafeBufferPointer { values in
                types.withUnsafeBufferPointer { types in
                    lengths.withUnsafeBufferPointer { lengths in
                        formats.withUnsafeBufferPointer { formats in
                            body(
                                Int32(binds.count), types.baseAddress, values.baseAddress,
                                lengths.baseAddress,
                                formats.baseAddress)
                        }
                    }
                }
            }
        }
    }
}
