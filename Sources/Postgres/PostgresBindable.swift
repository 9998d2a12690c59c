import Foundation

/// A Swift value that can be sent to PostgreSQL as a bind parameter (`$n`).
///
/// Parameters always travel in PostgreSQL's binary format with an explicit type, so a value
/// can never be read as SQL, and a string with a NUL byte is refused by the server instead of
/// being cut short. A `String` is sent as `text`: cast it in SQL for enum or uuid columns
/// (`$1::severity`).
public protocol PostgresBindable: Sendable {
    /// The type the parameter is declared as, also when the value is NULL.
    static var postgresType: PostgresDataType { get }
    /// The binary wire encoding (`typsend` format); nil for SQL NULL.
    var postgresBinaryValue: [UInt8]? { get }
}

/// A type whose Swift arrays map to one PostgreSQL value: `[Int64]` to `int8[]`, `[String]` to
/// `text[]`, and `[UInt8]` to `bytea`.
public protocol PostgresArrayElement: Sendable {
    /// The PostgreSQL type of `[Self]` (`int8[]` for `Int64`, `bytea` for `UInt8`).
    static var postgresArrayType: PostgresDataType { get }
    /// Column types `[Self]` decodes from (`int8[]`, `int4[]` and `int2[]` for `[Int64]`).
    static var postgresAcceptedArrayTypes: Set<PostgresDataType> { get }
    /// The binary wire encoding of `[Self]`.
    static func postgresArrayBinaryValue(_ elements: [Self]) -> [UInt8]
    /// Decodes a non-NULL value of type `postgresArrayType` from its text form.
    static func decodePostgresArray(from cell: PostgresCell) throws -> [Self]
}

/// An element of a real one-dimensional PostgreSQL array (`int8[]`, `text[]`).
public protocol PostgresArrayLiteralElement: PostgresArrayElement, PostgresBindable {
    /// Decodes one element of an array's text form (already unquoted and unescaped).
    static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> Self
    /// Appends the element's binary encoding (`postgresBinaryValue`) to `bytes`, without a
    /// temporary array where the type can help it (a batch binds arrays of every field).
    func appendPostgresBinaryValue(to bytes: inout [UInt8])
}

extension PostgresArrayLiteralElement {
    public func appendPostgresBinaryValue(to bytes: inout [UInt8]) {
        bytes += postgresBinaryValue ?? []
    }
}

extension PostgresArrayElement {
    public static var postgresAcceptedArrayTypes: Set<PostgresDataType> { [postgresArrayType] }
}

extension PostgresArrayLiteralElement {
    /// array_send format: ndim, has-nulls flag, element OID, (size, lower bound) per dimension,
    /// then each element as length + bytes.
    public static func postgresArrayBinaryValue(_ elements: [Self]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20 + elements.count * 16)
        Int32(elements.isEmpty ? 0 : 1).appendPostgresBigEndian(to: &bytes)
        Int32(0).appendPostgresBigEndian(to: &bytes)
        postgresType.rawValue.appendPostgresBigEndian(to: &bytes)
        if !elements.isEmpty {
            Int32(elements.count).appendPostgresBigEndian(to: &bytes)
            Int32(1).appendPostgresBigEndian(to: &bytes)
        }
        for element in elements {
            // Elements are non-optional, so never NULL. The length goes first: reserved as
            // zeros, filled in once the element is written.
            let lengthAt = bytes.count
            Int32(0).appendPostgresBigEndian(to: &bytes)
            element.appendPostgresBinaryValue(to: &bytes)
            let length = UInt32(truncatingIfNeeded: bytes.count - lengthAt - 4)
            bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 24)
            bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length >> 16)
            bytes[lengthAt + 2] = UInt8(truncatingIfNeeded: length >> 8)
            bytes[lengthAt + 3] = UInt8(truncatingIfNeeded: length)
        }
        return bytes
    }

    public static func decodePostgresArray(from cell: PostgresCell) throws -> [Self] {
        try PostgresArrayLiteral.parse(cell).map { element in
            guard let element else {
                throw cell.decodingError(expected: "[\(Self.self)]", reason: "the array contains NULL")
            }
            return try decodeArrayElement(element, cell: cell)
        }
    }
}

extension FixedWidthInteger {
    /// Big-endian bytes, as PostgreSQL's binary format wants integers.
    var postgresBigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }

    /// Appends the big-endian bytes to `bytes`.
    func appendPostgresBigEndian(to bytes: inout [UInt8]) {
        withUnsafeBytes(of: self.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

extension Int64: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresBinaryValue: [UInt8]? { postgresBigEndianBytes }
}

extension Int: PostgresBindable {
    public static var postgresType: PostgresDataType { .int8 }
    public var postgresBinaryValue: [UInt8]? { Int64(self).postgresBigEndianBytes }
}

extension Int32: PostgresBindable {
    public static var postgresType: PostgresDataType { .int4 }
    public var postgresBinaryValue: [UInt8]? { postgresBigEndianBytes }
}

extension Bool: PostgresBindable {
    public static var postgresType: PostgresDataType { .bool }
    public var postgresBinaryValue: [UInt8]? { [self ? 1 : 0] }
}

extension Double: PostgresBindable {
    public static var postgresType: PostgresDataType { .float8 }
    public var postgresBinaryValue: [UInt8]? { bitPattern.postgresBigEndianBytes }
}

extension String: PostgresBindable {
    public static var postgresType: PostgresDataType { .text }
    // textsend/textrecv: the UTF-8 bytes as they are; the server checks the encoding.
    public var postgresBinaryValue: [UInt8]? { Array(utf8) }
}

extension Array: PostgresBindable where Element: PostgresArrayElement {
    public static var postgresType: PostgresDataType { Element.postgresArrayType }
    public var postgresBinaryValue: [UInt8]? { Element.postgresArrayBinaryValue(self) }
}

extension Optional: PostgresBindable where Wrapped: PostgresBindable {
    public static var postgresType: PostgresDataType { Wrapped.postgresType }
    public var postgresBinaryValue: [UInt8]? { self?.postgresBinaryValue }
}

extension Date: PostgresBindable {
    public static var postgresType: PostgresDataType { .timestamptz }
    /// timestamptz_send: microseconds since 2000-01-01 00:00:00 UTC.
    public var postgresBinaryValue: [UInt8]? {
        PostgresTimestamp.microseconds(from: self).postgresBigEndianBytes
    }
}

extension Data: PostgresBindable {
    public static var postgresType: PostgresDataType { .bytea }
    public var postgresBinaryValue: [UInt8]? { Array(self) }
}
