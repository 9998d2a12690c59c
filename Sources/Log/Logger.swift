import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A value in a structured log line.
public enum LogValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
}

/// Writes one JSON object per line to a file descriptor (stderr by default).
///
/// Each line goes out in a single `write(2)`, so lines from concurrent threads never interleave.
public struct Logger: Sendable {
    public enum Level: String, Sendable, Comparable {
        case debug, info, warning, error

        private var rank: Int {
            switch self {
            case .debug: 0
            case .info: 1
            case .warning: 2
            case .error: 3
            }
        }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rank < rhs.rank }
    }

    public let minimumLevel: Level
    private let fileDescriptor: Int32

    public init(minimumLevel: Level = .info, fileDescriptor: Int32 = 2) {
        self.minimumLevel = minimumLevel
        self.fileDescriptor = fileDescriptor
    }

    /// A logger that writes nothing, for tests that do not look at logs.
    public static let disabled = Logger(minimumLevel: .error, fileDescriptor: -1)

    public func debug(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, event, fields)
    }

    public func info(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, event, fields)
    }

    public func warning(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.warning, event, fields)
    }

    public func error(_ event: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, event, fields)
    }

    public func log(_ level: Level, _ event: String, _ fields: KeyValuePairs<String, LogValue>) {
        guard fileDescriptor >= 0, level >= minimumLevel else { return }
        var line = "{\"ts\":\"\(Logger.timestamp())\",\"level\":\"\(level.rawValue)\",\"event\":"
        Logger.appendJSONString(event, to: &line)
        for (key, value) in fields {
            line.append(",")
            Logger.appendJSONString(key, to: &line)
            line.append(":")
            switch value {
            case .string(let text): Logger.appendJSONString(text, to: &line)
            case .int(let number): line.append(String(number))
            case .double(let number): line.append(number.isFinite ? String(number) : "null")
            case .bool(let flag): line.append(flag ? "true" : "false")
            }
        }
        line.append("}\n")
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// RFC 3339 UTC with milliseconds, formatted without Foundation's formatters (they are slow and locked).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(millis), 3))Z"
    }

    /// Appends `text` as a JSON string literal (RFC 8259 §7 escaping).
    public static func appendJSONString(_ text: String, to output: inout String) {
        output.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: output.unicodeScalars.append(scalar)
            }
        }
        output.append("\"")
    }
}
