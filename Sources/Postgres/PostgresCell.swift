/// One value of a result row, handed to `PostgresDecodable.decode(from:)`.
///
/// Values arrive in PostgreSQL's text format; the cell keeps its result alive, so its bytes
/// stay valid for as long as the cell exists.
public struct PostgresCell {
    public let rows: PostgresRows
    public let row: Int
    public let columnIndex: Int

    /// The column's name as the server reported it.
    public var column: String { rows.columns[columnIndex].name }

    /// The column's PostgreSQL type (a domain reports its base type).
    public var type: PostgresDataType { rows.columns[columnIndex].type }

    public var isNull: Bool { rows.isNull(row: row, column: columnIndex) }

    /// Calls `body` with the value's text bytes (empty for NULL).
    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try rows.withBytes(row: row, column: columnIndex, body)
    }

    /// The value's text form.
    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// A decoding error naming the column, the expected Swift type and the column's PostgreSQL
    /// type. The value itself is left out: it may be a secret.
    public func decodingError(expected: String, reason: String? = nil) -> PostgresError {
        var message = "cannot decode column \"\(column)\" of type \(type) as \(expected)"
        if let reason { message += ": \(reason)" }
        return PostgresError(.decoding, message: message, column: column)
    }

    /// Throws a decoding error unless the column's type is one of `accepted`.
    public func requireType(_ accepted: Set<PostgresDataType>, expected: String) throws {
        guard accepted.contains(type) else { throw decodingError(expected: expected) }
    }
}
