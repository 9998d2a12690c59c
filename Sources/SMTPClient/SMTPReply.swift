/// A server reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
public struct SMTPReply: Sendable, Equatable {
    public let code: Int
    /// The text of each line, without the code and separator.
    public let lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// The lines joined with spaces.
    public var text: String { lines.joined(separator: " ") }

    /// 2xx and 3xx.
    public var isPositive: Bool { (200...399).contains(code) }

    /// Parses one reply line into (code, is-last, text); nil when it is not `ddd`, `ddd text`
    /// or `ddd-text`.
    static func parseLine(_ line: [UInt8]) -> (code: Int, isLast: Bool, text: String)? {
        guard line.count >= 3, line[0..<3].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let code = Int(String(decoding: line[0..<3], as: UTF8.self)), (200...599).contains(code)
        else { return nil }
        if line.count == 3 { return (code, true, "") }
        switch line[3] {
        case UInt8(ascii: " "): return (code, true, String(decoding: line[4...], as: UTF8.self))
        case UInt8(ascii: "-"): return (code, false, String(decoding: line[4...], as: UTF8.self))
        default: return nil
        }
    }
}
