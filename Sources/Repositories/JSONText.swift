import Domain
import Foundation

/// JSON text of the `data` objects that events and timeline entries store as `jsonb`, written
/// directly as UTF-8 bytes rather than through `JSONEncoder`: the escalation worker writes
/// thousands a second (docs/PERFORMANCE.md "Escalation"), and `JSONEncoder`'s boxing was half its
/// CPU. Keys are sorted (jsonb keeps its own order anyway; sorted text is what
/// `JSONEncoder(.sortedKeys)` gave).
enum JSONText {
    /// A number that JSON cannot hold (NaN, an infinity).
    struct NotRepresentable: Error, CustomStringConvertible {
        let value: Double
        var description: String { "\(value) has no JSON representation" }
    }

    /// `members` as a JSON object.
    static func object(_ members: [String: JSONValue]) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        try append(.object(members), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func append(_ value: JSONValue, to bytes: inout [UInt8]) throws {
        switch value {
        case .null: bytes += "null".utf8
        case .bool(let flag): bytes += (flag ? "true" : "false").utf8
        case .integer(let number): bytes += String(number).utf8
        case .number(let number):
            guard number.isFinite else { throw NotRepresentable(value: number) }
            // Swift prints integral doubles as "3.0" and others in their shortest exact form,
            // exponents as "1e+20": all valid JSON numbers.
            bytes += number.description.utf8
        case .string(let string): appendString(string, to: &bytes)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                try append(item, to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                appendString(member.key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                try append(member.value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// `string` as a JSON string literal: RFC 8259 §7, quotation mark, reverse solidus and the
    /// control characters U+0000–U+001F escaped, everything else as it is. Byte-wise: in UTF-8
    /// every byte of a multi-byte character is ≥ 0x80, so only ASCII bytes can need escaping.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += #"\""#.utf8
            case UInt8(ascii: "\\"): bytes += #"\\"#.utf8
            case 0x0A: bytes += #"\n"#.utf8
            case 0x0D: bytes += #"\r"#.utf8
            case 0x09: bytes += #"\t"#.utf8
            case 0x08: bytes += #"\b"#.utf8
            case 0x0C: bytes += #"\f"#.utf8
            case 0..<0x20:
                bytes += #"\u00"#.utf8
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
