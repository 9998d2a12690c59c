/// Writes the Prometheus text exposition format, version 0.0.4
/// (<https://prometheus.io/docs/instrumenting/exposition_formats/>): per family a `# HELP` and
/// a `# TYPE` line, then its samples, one per line, each family's samples together.
public struct PrometheusExposition: Sendable {
    /// `Content-Type` of a scrape answer.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// A metric family's type, as written on its `# TYPE` line.
    public enum MetricType: String, Sendable {
        case counter, gauge, histogram
    }

    public private(set) var text = ""

    public init() {}

    /// Starts a family; its samples must follow before the next family starts.
    public mutating func family(_ name: String, _ type: MetricType, help: String) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line: `name{label="value",...} value`.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += "\(label)=\"\(Self.escapeLabelValue(labelValue))\""
            }
            text += "}"
        }
        text += " \(Self.format(value))\n"
    }

    /// `sample` for whole numbers.
    public mutating func sample(_ name: String, _ labels: [(String, String)] = [], _ value: Int) {
        sample(name, labels, Double(value))
    }

    /// A number as the format spells it: `+Inf`, `-Inf`, `NaN`, integers without a fraction.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Exact integers print as such (2^53 bounds the exactly representable ones).
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 { return String(Int64(value)) }
        return "\(value)"
    }

    /// Label values escape backslash, double quote and line feed (format 0.0.4).
    public static func escapeLabelValue(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `# HELP` text escapes backslash and line feed (format 0.0.4).
    public static func escapeHelp(_ help: String) -> String {
        help.replacingBackslashesAndNewlines()
    }
}

extension String {
    /// `\` → `\\`, line feed → `\n`.
    fileprivate func replacingBackslashesAndNewlines() -> String {
        var escaped = ""
        for character in self {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
