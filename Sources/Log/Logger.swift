import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one JSON object per line to a file descriptor (stderr by default).
///
/// Each call writes whole lines in a single `write(2)`, so lines from concurrent threads
/// never interleave (for a pipe, as long as a write is at most `PIPE_BUF` bytes; see
/// `maxAtomicWriteBytes`).
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

    /// POSIX: writes of at most `PIPE_BUF` (4,096 on Linux) bytes to a pipe are atomic;
    /// batches of lines stay under it so concurrent writers cannot split a line.
    public static let maxAtomicWriteBytes = 4096

    /// The per-second timestamp cache shared by every `log` call (batching writers keep
    /// their own `LogTimestamp` and skip the lock).
    private static let sharedTimestamp = Mutex(LogTimestamp())

    public let minimumLevel: Level
    private let fileDescriptor: Int32

    public init(minimumLevel: Level = .info, fileDescriptor: Int32 = 2) {
        self.minimumLevel = minimumLevel
        self.fileDescriptor = fileDescriptor
    }

    /// A logger that writes nothing, for tests that do not look at logs.
    public static let disabled = Logger(minimumLevel: .error, fileDescriptor: -1)

    /// Whether a line at `level` would be written at all.
    public func isEnabled(_ level: Level) -> Bool { fileDescriptor >= 0 && level >= minimumLevel }

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
        guard isEnabled(level) else { return }
        var line = LogBuffer(capacity: 256)
        Self.sharedTimestamp.withLock { timestamp in line.begin(level, event, timestamp: &timestamp) }
        for (key, value) in fields { line.append(key, value) }
        line.end()
        write(line.bytes[...])
    }

    /// Writes whole lines already built (by a `LogBuffer`) in one `write(2)`, retrying
    /// after signals and partial writes. A failing log descriptor drops the rest: logging
    /// must never stop the server.
    public func write(_ lines: ArraySlice<UInt8>) {
        guard fileDescriptor >= 0, !lines.isEmpty else { return }
        lines.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                // Non-nil: `lines` is not empty.
                let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 {
                    if written < 0 && errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Appends `text` as a JSON string literal (RFC 8259 §7 escaping).
    public static func appendJSONString(_ text: String, to output: inout String) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        JSONBytes.appendString(text, to: &bytes)
        output.append(String(decoding: bytes, as: UTF8.self))
    }
}
