import Foundation

/// A chat reply's text, kept as spans so each platform renders it its own way: plain for
/// generic bots, Slack `mrkdwn` for Slack (escaped, bold, dates in the reader's time zone).
///
/// Built by string interpolation: `"\(strong: ref) acknowledged by \(actor)"`; interpolated
/// strings are plain text spans, never markup, so user input cannot inject Slack mentions.
struct ChatText: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of text.
    enum Span: Sendable, Hashable {
        /// Text shown as is (escaped for Slack).
        case text(String)
        /// Emphasised text (refs, headings).
        case strong(String)
        /// A point in time.
        case time(Date)
    }

    private(set) var spans: [Span]

    init(spans: [Span] = []) { self.spans = spans }

    init(stringLiteral value: String) { spans = value.isEmpty ? [] : [.text(value)] }

    init(stringInterpolation: Interpolation) { spans = stringInterpolation.spans }

    /// Collects the spans of an interpolated literal.
    struct Interpolation: StringInterpolationProtocol {
        var spans: [Span] = []

        init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { spans.append(.text(literal)) }
        }

        mutating func appendInterpolation(_ value: some CustomStringConvertible) {
            spans.append(.text(value.description))
        }

        mutating func appendInterpolation(strong value: some CustomStringConvertible) {
            spans.append(.strong(value.description))
        }

        mutating func appendInterpolation(time value: Date) {
            spans.append(.time(value))
        }

        mutating func appendInterpolation(_ text: ChatText) {
            spans += text.spans
        }
    }

    /// Appends `other` after this text.
    mutating func append(_ other: ChatText) { spans += other.spans }

    /// `lines` joined with newlines.
    static func lines(_ lines: [ChatText]) -> ChatText {
        var result = ChatText()
        for (index, line) in lines.enumerated() {
            if index > 0 { result.spans.append(.text("\n")) }
            result.append(line)
        }
        return result
    }

    /// The text for a generic bot: no markup, times as `2026-11-22 14:30 UTC`.
    var plain: String {
        spans.map { span in
            switch span {
            case .text(let text), .strong(let text): text
            case .time(let date): Self.plainTime(date)
            }
        }.joined()
    }

    /// The text as Slack `mrkdwn`: `&`, `<`, `>` escaped (the three characters Slack asks
    /// apps to escape, api.slack.com "Formatting text for app surfaces"), strong spans in
    /// `*…*`, and times as `<!date^…>` so every reader sees their own time zone.
    var slackMarkdown: String {
        spans.map { span in
            switch span {
            case .text(let text): Self.slackEscaped(text)
            case .strong(let text): "*\(Self.slackEscaped(text))*"
            case .time(let date):
                "<!date^\(Int(date.timeIntervalSince1970))^{date_short_pretty} {time}|\(Self.plainTime(date))>"
            }
        }.joined()
    }

    var description: String { plain }

    /// `&`, `<` and `>` as Slack entities (`&` first, so entities are not escaped twice).
    static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// `2026-11-22 14:30 UTC`: minutes are what a responder reads in chat.
    static func plainTime(_ date: Date) -> String {
        let stamp = RFC3339.format(date)  // 2026-11-22T14:30:02.123456Z
        return stamp.prefix(10) + " " + stamp.dropFirst(11).prefix(5) + " UTC"
    }
}
