/// One or more whole JSON log lines built straight into a byte buffer.
///
/// `begin` opens a line (`{"ts":…,"level":…,"event":…`), the `append` methods add fields,
/// `end` closes it with `}\n`. Nothing goes through `String` concatenation or boxed values,
/// and the buffer keeps its capacity across `removeAll`, so a long-lived owner (an event
/// loop's access log) allocates nothing per line once warm.
public struct LogBuffer: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public var isEmpty: Bool { bytes.isEmpty }

    /// Opens a line: timestamp, level and event.
    public mutating func begin(_ level: Logger.Level, _ event: String, timestamp: inout LogTimestamp) {
        appendStatic(#"{"ts":""#)
        timestamp.append(to: &bytes)
        appendStatic(#"","level":""#)
        bytes.append(contentsOf: level.rawValue.utf8)
        appendStatic(#"","event":"#)
        JSONBytes.appendString(event, to: &bytes)
    }

    /// Closes the line opened by `begin`.
    public mutating func end() {
        bytes.append(UInt8(ascii: "}"))
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func append(_ key: String, string value: String) {
        appendKey(key)
        JSONBytes.appendString(value, to: &bytes)
    }

    /// A field whose key is a literal with nothing to escape (`,"key":` copied as it is): the
    /// access log's fixed fields, written for every request.
    public mutating func append(literalKey key: StaticString, string value: String) {
        appendLiteralKey(key)
        JSONBytes.appendString(value, to: &bytes)
    }

    public mutating func append(literalKey key: StaticString, int value: Int) {
        appendLiteralKey(key)
        JSONBytes.appendInt(value, to: &bytes)
    }

    public mutating func append(_ key: String, int value: Int) {
        appendKey(key)
        JSONBytes.appendInt(value, to: &bytes)
    }

    public mutating func append(_ key: String, bool value: Bool) {
        appendKey(key)
        appendStatic(value ? "true" : "false")
    }

    public mutating func append(_ key: String, double value: Double) {
        appendKey(key)
        // RFC 8259 §6: JSON has no NaN or infinity.
        if value.isFinite {
            bytes.append(contentsOf: String(value).utf8)
        } else {
            appendStatic("null")
        }
    }

    /// A duration in milliseconds with three decimals (`12.345`), by integer arithmetic.
    public mutating func append(_ key: String, milliseconds nanoseconds: UInt64) {
        appendKey(key)
        appendMilliseconds(nanoseconds)
    }

    public mutating func append(literalKey key: StaticString, milliseconds nanoseconds: UInt64) {
        appendLiteralKey(key)
        appendMilliseconds(nanoseconds)
    }

    private mutating func appendMilliseconds(_ nanoseconds: UInt64) {
        let micros = nanoseconds / 1000
        JSONBytes.appendInt(Int(truncatingIfNeeded: micros / 1000), to: &bytes)
        let fraction = Int(micros % 1000)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    public mutating func append(_ key: String, _ value: LogValue) {
        switch value {
        case .string(let text): append(key, string: text)
        case .int(let number): append(key, int: number)
        case .double(let number): append(key, double: number)
        case .bool(let flag): append(key, bool: flag)
        }
    }

    /// Forgets the content, keeping the capacity.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Drops the first `count` bytes (whole lines already written), keeping the rest.
    public mutating func removeFirst(_ count: Int) { bytes.removeFirst(count) }

    private mutating func appendKey(_ key: String) {
        bytes.append(UInt8(ascii: ","))
        JSONBytes.appendString(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendLiteralKey(_ key: StaticString) {
        bytes.append(UInt8(ascii: ","))
        bytes.append(UInt8(ascii: "\""))
        appendStatic(key)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Copies a literal's UTF-8 bytes; no global to initialise, no `String` to bridge.
    private mutating func appendStatic(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
