import Domain
import Foundation

/// The body of a Slack delivery (SPEC §9): `{text, blocks}` for an incoming webhook. `text` is
/// the headline (what notifications and old clients show); the blocks add the facts.
public enum SlackRendering {
    /// The message as JSON bytes (sorted keys, as ``EventJSON/encode(_:)`` writes).
    public static func body(_ event: Event) throws -> [UInt8] {
        CompactJSON.bytes(message(event))
    }

    /// The message as a JSON value.
    public static func message(_ event: Event) -> JSONValue {
        let headline = EventHeadline(event)
        var facts: [String] = []
        if let service = event.service { facts.append("service *\(escape(service))*") }
        facts.append("by \(escape(event.actor))")
        facts.append(EventJSON.timestamp(event.occurredAt))
        var section = "*\(escape(headline.line))*"
        for key in ["note", "message", "resolution"] {
            if let said = event.data[key]?.stringValue, !said.isEmpty { section += "\n>\(escape(said))" }
        }
        return .object([
            "text": .string(headline.line),
            "blocks": .array([
                .object(["type": "section", "text": .object(["type": "mrkdwn", "text": .string(section)])]),
                .object([
                    "type": "context",
                    "elements": .array([
                        .object(["type": "mrkdwn", "text": .string(facts.joined(separator: " · "))])
                    ]),
                ]),
            ]),
        ])
    }

    /// Slack's three control characters in mrkdwn text (`&`, `<`, `>`).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
