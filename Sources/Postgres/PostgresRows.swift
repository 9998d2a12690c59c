import CLibPQ

/// The rows of one statement's result, in PostgreSQL's text format.
///
/// Owns the libpq `PGresult`; it is immutable once created, which libpq documents as safe to
/// read from any thread, hence `@unchecked Sendable`.
public final class PostgresRows: RandomAccessCollection, @unchecked Sendable {
    private let result: OpaquePointer
    /// Name and type of each result column, in order.
    public let columns: [PostgresColumn]
    /// Row count.
    public let count: Int
    /// Rows inserted, updated, deleted, selected... as the command tag reports (0 when none).
    public let affectedRows: Int
    /// The command tag (`INSERT 0 1`, `UPDATE 3`, `COMMIT`).
    public let commandTag: String
    private let columnIndexByName: [String: Int]

    init(result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [PostgresColumn] = []
        var indexByName: [String: Int] = [:]
        for index in 0..<columnCount {
            let name = PQfname(result, Int32(index)).map { String(cString: $0) } ?? ""
            columns.append(PostgresColumn(name: name, type: PostgresDataType(PQftype(result, Int32(index)))))
            // With duplicate names (`SELECT a.id, b.id`) the first wins, as in most drivers.
            if indexByName[name] == nil { indexByName[name] = index }
        }
        self.columns = columns
        columnIndexByName = indexByName
        commandTag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        affectedRows = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    deinit { PQclear(result) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < count, "row index \(position) out of range 0..<\(count)")
        return PostgresRow(rows: self, index: position)
    }

    /// The index of the column named `name`, or a decoding error listing the columns there are.
    public func columnIndex(named name: String) throws -> Int {
        guard let index = columnIndexByName[name] else {
            let names = columns.map(\.name).joined(separator: ", ")
            throw PostgresError(
                .decoding, message: "the result has no column \"\(name)\" (columns: \(names))", column: name)
        }
        return index
    }

    func isNull(row: Int, column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    func withBytes<Result>(
        row: Int, column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        // char and UInt8 may alias (signed/unsigned variants of one type).
        return try value.withMemoryRebound(to: UInt8.self, capacity: length) { start in
            try body(UnsafeBufferPointer(start: start, count: length))
        }
    }
}

/// A result column: its name and PostgreSQL type.
public struct PostgresColumn: Sendable, Hashable {
    public let name: String
    public let type: PostgresDataType
}

/// One row of a `PostgresRows`, decoded column by column.
public struct PostgresRow: Sendable {
    public let rows: PostgresRows
    public let index: Int

    /// The value of `column` as `type`; throws a decoding error naming the column, the expected
    /// type and the column's PostgreSQL type on a mismatch or an unexpected NULL.
    public func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws
        -> Value
    {
        try decode(try rows.columnIndex(named: column), as: type)
    }

    /// The value of the column at `column` (0-based) as `type`.
    public func decode<Value: PostgresDecodable>(_ column: Int, as type: Value.Type = Value.self) throws
        -> Value
    {
        guard column >= 0 && column < rows.columns.count else {
            throw PostgresError(
                .decoding,
                message: "column index \(column) out of range (the result has \(rows.columns.count))")
        }
        let cell = PostgresCell(rows: rows, row: index, columnIndex: column)
        return cell.isNull ? try Value.decodeNull(from: cell) : try Value.decode(from: cell)
    }

    /// Whether `column` is NULL.
    public func isNull(_ column: String) throws -> Bool {
        rows.isNull(row: index, column: try rows.columnIndex(named: column))
    }
}
