import Foundation

/// A JSON document for a `jsonb` parameter or a `json`/`jsonb` column, kept as its text.
///
/// The layer does not parse JSON: callers encode and decode with the helpers below or their own
/// parser. PostgreSQL checks that a parameter is valid JSON.
public struct PostgresJSON: Sendable, Hashable, PostgresBindable, PostgresDecodable {
    /// The JSON text (UTF-8).
    public var text: String

    public init(_ text: String) { self.text = text }

    /// Wraps UTF-8 JSON bytes.
    public init(data: Data) { self.text = String(decoding: data, as: UTF8.self) }

    /// Encodes `value` with `encoder`.
    public init<Value: Encodable>(encoding value: Value, encoder: JSONEncoder = JSONEncoder()) throws {
        self.init(data: try encoder.encode(value))
    }

    /// The UTF-8 bytes of `text`.
    public var data: Data { Data(text.utf8) }

    /// Decodes the document as `type`.
    public func decode<Value: Decodable>(as type: Value.Type, decoder: JSONDecoder = JSONDecoder()) throws
        -> Value
    {
        try decoder.decode(type, from: data)
    }

    public static var postgresType: PostgresDataType { .jsonb }

    /// jsonb_send: a version byte (1) then the JSON text.
    public var postgresBinaryValue: [UInt8]? { [1] + Array(text.utf8) }

    public static func decode(from cell: PostgresCell) throws -> PostgresJSON {
        try cell.requireType(PostgresAcceptedTypes.json, expected: "PostgresJSON")
        return PostgresJSON(cell.text)
    }
}
