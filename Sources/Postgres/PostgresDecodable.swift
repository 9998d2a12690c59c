import Foundation

/// A Swift type a result column can be decoded into. Decoders check the column's type OID, so
/// reading a `text` column as `Int` is an error instead of a silent parse.
public protocol PostgresDecodable {
    /// Decodes a non-NULL value.
    static func decode(from cell: PostgresCell) throws -> Self
    /// Decodes SQL NULL; the default throws, `Optional` returns nil.
    static func decodeNull(from cell: PostgresCell) throws -> Self
}

extension PostgresDecodable {
    public static func decodeNull(from cell: PostgresCell) throws -> Self {
        throw PostgresError(
            .decoding,
            message: "column \"\(cell.column)\" of type \(cell.type) is NULL, expected \(Self.self)"
                + " (decode as Optional to accept NULL)",
            column: cell.column)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Wrapped? {
        try Wrapped.decode(from: cell)
    }

    public static func decodeNull(from cell: PostgresCell) throws -> Wrapped? { nil }
}

/// Column types each decoder accepts.
enum PostgresAcceptedTypes {
    static let integers: Set<PostgresDataType> = [.int2, .int4, .int8]
    static let numbers: Set<PostgresDataType> = [.int2, .int4, .int8, .float4, .float8, .numeric]
    static let textual: Set<PostgresDataType> = [
        .text, .varchar, .bpchar, .name, .char, .unknown, .json, .jsonb, .uuid, .inet, .cidr, .date,
    ]
    static let timestamps: Set<PostgresDataType> = [.timestamptz, .timestamp, .date]
    static let json: Set<PostgresDataType> = [.json, .jsonb]
}

extension Int64: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int64 {
        try cell.requireType(PostgresAcceptedTypes.integers, expected: "Int64")
        return try cell.withBytes { bytes in
            guard let value = PostgresTextParsing.int64(bytes) else {
                throw cell.decodingError(expected: "Int64", reason: "not an integer")
            }
            return value
        }
    }
}

extension Int: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int {
        Int(try Int64.decode(from: cell))
    }
}

extension Int32: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Int32 {
        let value = try Int64.decode(from: cell)
        guard let narrowed = Int32(exactly: value) else {
            throw cell.decodingError(expected: "Int32", reason: "value out of range")
        }
        return narrowed
    }
}

extension Bool: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Bool {
        try cell.requireType([.bool], expected: "Bool")
        // boolout writes exactly "t" or "f".
        switch cell.text {
        case "t": return true
        case "f": return false
        default: throw cell.decodingError(expected: "Bool", reason: "not t or f")
        }
    }
}

extension Double: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Double {
        try cell.requireType(PostgresAcceptedTypes.numbers, expected: "Double")
        let text = cell.text
        // float8out and numeric_out spell the special values this way.
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(text) else {
                throw cell.decodingError(expected: "Double", reason: "not a number")
            }
            return value
        }
    }
}

extension String: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> String {
        guard PostgresAcceptedTypes.textual.contains(cell.type) || cell.type.isUserDefined else {
            throw cell.decodingError(expected: "String")
        }
        return cell.text
    }
}

extension Date: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Date {
        try cell.requireType(PostgresAcceptedTypes.timestamps, expected: "Date")
        return try cell.withBytes { bytes in
            guard let date = PostgresTimestamp.parse(bytes) else {
                throw cell.decodingError(
                    expected: "Date", reason: "unsupported timestamp text (ISO DateStyle expected)")
            }
            return date
        }
    }
}

extension Data: PostgresDecodable {
    public static func decode(from cell: PostgresCell) throws -> Data {
        Data(try [UInt8].decode(from: cell))
    }
}
