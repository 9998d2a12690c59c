#if canImport(Glibc)
    import Glibc
#endif

/// RFC 3339 UTC timestamps with milliseconds (`2025-11-22T15:05:55.123Z`) for log lines.
///
/// The date and time up to the second are formatted once per second and kept; each call
/// only appends three millisecond digits. Calendar math per call (`gmtime_r`) and string
/// padding were most of the cost of an access-log line (issue 2). A value type: each owner
/// (an event loop, the logger's shared cache behind a lock) keeps its own.
public struct LogTimestamp: Sendable {
    /// `YYYY-MM-DDTHH:MM:SS.` for `second`.
    private var prefix: [UInt8] = []
    private var second = Int.min

    public init() {}

    /// Appends the current time (`CLOCK_REALTIME`).
    public mutating func append(to output: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        append(seconds: now.tv_sec, nanoseconds: now.tv_nsec, to: &output)
    }

    /// Appends the time `seconds` after the Unix epoch plus `nanoseconds` (truncated to
    /// milliseconds).
    public mutating func append(seconds: Int, nanoseconds: Int, to output: inout [UInt8]) {
        if seconds != second {
            second = seconds
            prefix = Self.formatPrefix(seconds)
        }
        output.append(contentsOf: prefix)
        let millis = max(0, min(999, nanoseconds / 1_000_000))
        output.append(digit(millis / 100))
        output.append(digit(millis / 10 % 10))
        output.append(digit(millis % 10))
        output.append(UInt8(ascii: "Z"))
    }

    /// The current time as a string, for callers outside the byte-buffer path.
    public static func now() -> String {
        var stamp = LogTimestamp()
        var bytes: [UInt8] = []
        stamp.append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SS.` (RFC 3339 §5.6, always UTC).
    static func formatPrefix(_ seconds: Int) -> [UInt8] {
        var time = seconds
        var parts = tm()
        gmtime_r(&time, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        func put(_ value: Int32, width: Int, then separator: Unicode.Scalar) {
            var divisor: Int32 = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = max(0, value)
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
            bytes.append(UInt8(ascii: separator))
        }
        put(parts.tm_year + 1900, width: 4, then: "-")
        put(parts.tm_mon + 1, width: 2, then: "-")
        put(parts.tm_mday, width: 2, then: "T")
        put(parts.tm_hour, width: 2, then: ":")
        put(parts.tm_min, width: 2, then: ":")
        put(parts.tm_sec, width: 2, then: ".")
        return bytes
    }
}

/// The ASCII digit for `value` (0–9).
@inline(__always)
private func digit(_ value: Int) -> UInt8 { UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value) }
