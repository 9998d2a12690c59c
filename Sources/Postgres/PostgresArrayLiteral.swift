/// Reads PostgreSQL's text form of a one-dimensional array (`{1,2,NULL}`, `{"a b","c\"d"}`), as
/// `array_out` writes it.
enum PostgresArrayLiteral {
    /// The elements, nil for NULL. Throws for multi-dimensional or malformed text.
    static func parse(_ cell: PostgresCell) throws -> [Substring?] {
        let expected = "array of \(cell.type)"
        var text = Substring(cell.text)
        // A lower bound other than 1 is written as a prefix: "[0:2]={...}".
        if text.first == "[" {
            guard let equals = text.firstIndex(of: "=") else {
                throw cell.decodingError(expected: expected, reason: "malformed array")
            }
            text = text[text.index(after: equals)...]
        }
        guard text.first == "{", text.last == "}" else {
            throw cell.decodingError(expected: expected, reason: "malformed array")
        }
        let body = text.dropFirst().dropLast()
        if body.isEmpty { return [] }
        if body.first == "{" {
            throw cell.decodingError(expected: expected, reason: "multi-dimensional arrays are not supported")
        }
        var elements: [Substring?] = []
        var index = body.startIndex
        while true {
            let (element, next) = try element(in: body, from: index, cell: cell, expected: expected)
            elements.append(element)
            guard next < body.endIndex else { break }
            guard body[next] == "," else {
                throw cell.decodingError(expected: expected, reason: "malformed array")
            }
            index = body.index(after: next)
        }
        return elements
    }

    /// One element starting at `start`, and the index just after it.
    private static func element(
        in body: Substring, from start: Substring.Index, cell: PostgresCell, expected: String
    ) throws -> (Substring?, Substring.Index) {
        guard start < body.endIndex, body[start] == "\"" else {
            let end = body[start...].firstIndex(of: ",") ?? body.endIndex
            let raw = body[start..<end]
            // array_out quotes an element that is literally the string NULL.
            return (raw.uppercased() == "NULL" ? nil : raw, end)
        }
        // Scalars, not Characters: a quote followed by a combining mark is still a quote.
        let scalars = body.unicodeScalars
        var value = String.UnicodeScalarView()
        var index = scalars.index(after: start)
        while index < scalars.endIndex {
            var scalar = scalars[index]
            if scalar == "\"" { return (Substring(String(value)), scalars.index(after: index)) }
            if scalar == "\\" {
                index = scalars.index(after: index)
                guard index < scalars.endIndex else { break }
                scalar = scalars[index]
            }
            value.append(scalar)
            index = scalars.index(after: index)
        }
        throw cell.decodingError(expected: expected, reason: "unterminated quoted element")
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(from cell: PostgresCell) throws -> [Element] {
        guard Element.postgresAcceptedArrayTypes.contains(cell.type) else {
            throw cell.decodingError(expected: "[\(Element.self)]")
        }
        return try Element.decodePostgresArray(from: cell)
    }
}

extension UInt8: PostgresArrayElement {
    public static var postgresArrayType: PostgresDataType { .bytea }
    public static func postgresArrayBinaryValue(_ elements: [UInt8]) -> [UInt8] { elements }

    public static func decodePostgresArray(from cell: PostgresCell) throws -> [UInt8] {
        try cell.withBytes { bytes in
            guard let value = PostgresTextParsing.hexBytea(bytes) else {
                throw cell.decodingError(expected: "[UInt8]", reason: "bytea not in hex output format")
            }
            return value
        }
    }
}

extension Int64: PostgresArrayLiteralElement {
    public func appendPostgresBinaryValue(to bytes: inout [UInt8]) {
        self.appendPostgresBigEndian(to: &bytes)
    }

    public static var postgresArrayType: PostgresDataType { .int8Array }
    public static var postgresAcceptedArrayTypes: Set<PostgresDataType> {
        [.int8Array, .int4Array, .int2Array]
    }

    public static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> Int64 {
        guard let value = Int64(text) else {
            throw cell.decodingError(expected: "[Int64]", reason: "not an integer")
        }
        return value
    }
}

extension Int: PostgresArrayLiteralElement {
    public func appendPostgresBinaryValue(to bytes: inout [UInt8]) {
        Int64(self).appendPostgresBigEndian(to: &bytes)
    }

    public static var postgresArrayType: PostgresDataType { .int8Array }
    public static var postgresAcceptedArrayTypes: Set<PostgresDataType> {
        [.int8Array, .int4Array, .int2Array]
    }

    public static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> Int {
        guard let value = Int(text) else {
            throw cell.decodingError(expected: "[Int]", reason: "not an integer")
        }
        return value
    }
}

extension Int32: PostgresArrayLiteralElement {
    public func appendPostgresBinaryValue(to bytes: inout [UInt8]) {
        self.appendPostgresBigEndian(to: &bytes)
    }

    public static var postgresArrayType: PostgresDataType { .int4Array }
    public static var postgresAcceptedArrayTypes: Set<PostgresDataType> { [.int4Array, .int2Array] }

    public static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> Int32 {
        guard let value = Int32(text) else {
            throw cell.decodingError(expected: "[Int32]", reason: "not an int4")
        }
        return value
    }
}

extension String: PostgresArrayLiteralElement {
    public func appendPostgresBinaryValue(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: utf8)
    }

    public static var postgresArrayType: PostgresDataType { .textArray }
    public static var postgresAcceptedArrayTypes: Set<PostgresDataType> { [.textArray, .varcharArray] }

    public static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> String {
        String(text)
    }
}

extension Bool: PostgresArrayLiteralElement {
    public static var postgresArrayType: PostgresDataType { .boolArray }

    public static func decodeArrayElement(_ text: Substring, cell: PostgresCell) throws -> Bool {
        switch text {
        case "t": return true
        case "f": return false
        default: throw cell.decodingError(expected: "[Bool]", reason: "not t or f")
        }
    }
}
