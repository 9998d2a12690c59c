/// Any JSON value, for free-form fields such as an alert's `details` or a timeline entry's
/// `data`.
///
/// Integers that fit `Int64` stay exact (`.integer`); other numbers are `.number`. Decoding
/// and encoding go through `Codable`, so the API decodes it straight from a request body and
/// the repositories store it as `jsonb`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The dictionary when this is a JSON object, else nil.
    public var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// The string when this is a JSON string, else nil.
    public var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    /// True when any string or object key anywhere inside contains U+0000.
    ///
    /// PostgreSQL `jsonb` refuses `\u0000` (SQLSTATE 22P05), so validation rejects it up front
    /// with a field error instead of letting the insert fail.
    public var containsNUL: Bool {
        switch self {
        case .null, .bool, .integer, .number: false
        case .string(let string): string.unicodeScalars.contains("\u{0}")
        case .array(let items): items.contains { $0.containsNUL }
        case .object(let object):
            object.contains { key, value in key.unicodeScalars.contains("\u{0}") || value.containsNUL }
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Order matters: Bool before numbers (some decoders read 1 as true), Int64 before Double
        // so that large integers stay exact.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
