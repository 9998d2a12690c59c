import Foundation

/// Prints a ``JSONObjectShape`` straight into bytes, the same bytes as `APIJSON.encoder()`
/// would (sorted keys, Foundation's string escapes, RFC 3339 dates to the microsecond):
/// `JSONShapeTests` checks that byte for byte.
///
/// Why not `JSONEncoder` on the hot paths: with 50 incidents per page it took 70 % of the
/// server's CPU per poll (2.4 ms of 3.4 ms, `perf` in bench/incidents) — it boxes every value,
/// sorts every object's keys and formats each date through a closure — and on the ingest path
/// ~8 % per request, re-encoding `details`/`links` that PostgreSQL had just given as text.
struct JSONShapeWriter: JSONMemberVisitor {
    private(set) var out: [UInt8]
    /// The first cold member that failed to encode.
    private(set) var error: (any Error)?
    private var first = true
    #if DEBUG
        private var lastKey = ""
    #endif

    init(capacity: Int) {
        out = []
        out.reserveCapacity(capacity)
    }

    /// The bytes of `shape`.
    static func bytes(_ shape: some JSONObjectShape, capacity: Int = 512) throws -> [UInt8] {
        var writer = JSONShapeWriter(capacity: capacity)
        writer.object(shape)
        if let error = writer.error { throw error }
        return writer.out
    }

    /// `{"items":[...],"next_cursor":...}` (SPEC §4 lists) for a page of shapes.
    static func page(_ items: [some JSONObjectShape], nextCursor: String?, capacityPerItem: Int = 800) throws
        -> [UInt8]
    {
        var writer = JSONShapeWriter(capacity: items.count * capacityPerItem + 64)
        writer.raw(#"{"items":"#)
        writer.array(items)
        writer.raw(#","next_cursor":"#)
        Self.appendOptional(nextCursor, to: &writer.out)
        writer.out.append(UInt8(ascii: "}"))
        if let error = writer.error { throw error }
        return writer.out
    }

    private mutating func object(_ shape: some JSONObjectShape) {
        let outer = first
        #if DEBUG
            let outerKey = lastKey
            lastKey = ""
        #endif
        first = true
        out.append(UInt8(ascii: "{"))
        shape.visitMembers(&self)
        out.append(UInt8(ascii: "}"))
        first = outer
        #if DEBUG
            lastKey = outerKey
        #endif
    }

    private mutating func array(_ shapes: [some JSONObjectShape]) {
        out.append(UInt8(ascii: "["))
        for (index, shape) in shapes.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            object(shape)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `"key":` with its separator; keys are plain ASCII and need no escapes.
    private mutating func key(_ key: StaticString) {
        #if DEBUG
            let name = key.description
            assert(name > lastKey, "JSONObjectShape members must be visited in sorted order: \(name)")
            lastKey = name
        #endif
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out.append(contentsOf: "\":".utf8)
    }

    private mutating func raw(_ text: StaticString) { Self.raw(text, &out) }

    mutating func member(_ key: StaticString, _ value: String?) {
        self.key(key)
        Self.appendOptional(value, to: &out)
    }

    mutating func member(_ key: StaticString, _ value: Int64?) {
        self.key(key)
        guard let value else { return out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: String(value).utf8)
    }

    mutating func member(_ key: StaticString, _ value: Bool) {
        self.key(key)
        out.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func member(_ key: StaticString, _ value: Date?) {
        self.key(key)
        Self.appendOptionalDate(value, to: &out)
    }

    mutating func member(_ key: StaticString, _ value: [String]) {
        self.key(key)
        out.append(UInt8(ascii: "["))
        for (index, text) in value.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendString(text, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func member(_ key: StaticString, _ object: some JSONObjectShape) {
        self.key(key)
        self.object(object)
    }

    mutating func member(_ key: StaticString, nullable object: (some JSONObjectShape)?) {
        guard let object else {
            self.key(key)
            return out.append(contentsOf: "null".utf8)
        }
        member(key, object)
    }

    mutating func member(_ key: StaticString, objects: [some JSONObjectShape]) {
        self.key(key)
        array(objects)
    }

    mutating func member(_ key: StaticString, json value: some Encodable, storedText: String?) {
        guard let storedText else { return member(key, encoded: value) }
        self.key(key)
        out.append(contentsOf: storedText.utf8)
    }

    mutating func member(_ key: StaticString, encoded value: some Encodable) {
        self.key(key)
        do {
            out.append(contentsOf: try APIJSON.encoder().encode(value))
        } catch {
            if self.error == nil { self.error = error }
            out.append(contentsOf: "null".utf8)
        }
    }

    mutating func memberIfPresent(_ key: StaticString, _ value: Bool?) {
        guard let value else { return }
        member(key, value)
    }

    /// Appends fixed ASCII text (separators and quoted key names, which need no escapes).
    @inline(__always)
    private static func raw(_ text: StaticString, _ out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func appendOptional(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(contentsOf: "null".utf8) }
        appendString(text, to: &out)
    }

    static func appendOptionalDate(_ date: Date?, to out: inout [UInt8]) {
        guard let date else { return out.append(contentsOf: "null".utf8) }
        appendDate(date, to: &out)
    }

    /// A JSON string with Foundation's escapes (RFC 8259 §7): `\"`, `\\`, `\b`, `\f`, `\n`,
    /// `\r`, `\t`, other control characters as `\u00XX`; `/` and non-ASCII copied as they are.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Copy runs of bytes that need no escape in one go; most strings are one run.
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(byte, to: &out)
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The escape of one byte that needs one (see ``appendString(_:to:)``).
    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): raw(#"\""#, &out)
        case UInt8(ascii: "\\"): raw(#"\\"#, &out)
        case 0x08: raw(#"\b"#, &out)
        case 0x0C: raw(#"\f"#, &out)
        case UInt8(ascii: "\n"): raw(#"\n"#, &out)
        case UInt8(ascii: "\r"): raw(#"\r"#, &out)
        case UInt8(ascii: "\t"): raw(#"\t"#, &out)
        default:
            raw(#"\u00"#, &out)
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0xF)])
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"YYYY-MM-DDTHH:MM:SS.ffffffZ"`: the digits of `RFC3339.format` (same rounding to
    /// microseconds), computed with integer arithmetic (days to civil date: H. Hinnant,
    /// "chrono-Compatible Low-Level Date Algorithms") and written in one append.
    static func appendDate(_ date: Date, to out: inout [UInt8]) {
        let totalMicros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let seconds = totalMicros >= 0 ? totalMicros / 1_000_000 : (totalMicros - 999_999) / 1_000_000
        let micros = Int(totalMicros - seconds * 1_000_000)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 29) { buffer in
            /// Writes `value` as `width` zero-padded digits ending before `end`.
            func put(_ value: Int, _ width: Int, endingAt end: Int) {
                var rest = value
                for position in stride(from: end - 1, through: end - width, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                    rest /= 10
                }
            }
            buffer[0] = UInt8(ascii: "\"")
            put(year, 4, endingAt: 5)
            buffer[5] = UInt8(ascii: "-")
            put(month, 2, endingAt: 8)
            buffer[8] = UInt8(ascii: "-")
            put(day, 2, endingAt: 11)
            buffer[11] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, endingAt: 14)
            buffer[14] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, endingAt: 17)
            buffer[17] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, endingAt: 20)
            buffer[20] = UInt8(ascii: ".")
            put(micros, 6, endingAt: 27)
            buffer[27] = UInt8(ascii: "Z")
            buffer[28] = UInt8(ascii: "\"")
            out.append(contentsOf: UnsafeBufferPointer(buffer))
        }
    }
}
