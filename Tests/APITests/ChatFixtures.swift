import API
import Crypto
import Foundation
import TestSupport
import Testing

/// Helpers for the chat tests: incidents and alerts made through the REST API, the generic
/// bot endpoint, and Slack requests signed the way Slack signs them.
extension TestApp {
    /// Creates an incident through `POST /api/v1/incidents`; returns its id.
    func makeChatIncident(_ title: String, severity: String = "SEV2", key: String) throws -> Int64 {
        let body = try JSONSerialization.data(withJSONObject: ["title": title, "severity": severity])
        let response = try request(
            "POST", "/api/v1/incidents", json: String(decoding: body, as: UTF8.self), key: key)
        try #require(response.status == 201, "create incident: \(response.bodyText)")
        return try #require((response.json["id"] as? NSNumber)?.int64Value)
    }

    /// Triggers a `warning` alert (no incident is opened) through `POST /api/v1/alerts`.
    func makeChatAlert(_ summary: String, service: String = "api", key: String) throws -> Int64 {
        let body = try JSONSerialization.data(withJSONObject: [
            "service": service, "source": "chat-tests", "summary": summary, "severity": "warning",
        ])
        let response = try request(
            "POST", "/api/v1/alerts", json: String(decoding: body, as: UTF8.self), key: key)
        try #require(response.status == 201, "trigger alert: \(response.bodyText)")
        return try #require((response.json["id"] as? NSNumber)?.int64Value)
    }

    /// `POST /api/v1/chat/command {"text", "user"}`.
    func chat(_ text: String, user: String? = nil, key: String) throws -> RawHTTPResponse {
        var object: [String: String] = ["text": text]
        object["user"] = user
        let body = try JSONSerialization.data(withJSONObject: object)
        return try request(
            "POST", "/api/v1/chat/command", json: String(decoding: body, as: UTF8.self), key: key)
    }

    /// `POST /api/v1/chat/slack` with a slash-command form body, signed with `secret` at
    /// `timestamp` (nil: no signature headers). `tamper` changes the body after signing.
    func slack(
        _ text: String, user: String = "alice", secret: String?, timestamp: Date = Date(),
        tamper: ((String) -> String)? = nil
    ) throws -> RawHTTPResponse {
        let form = SlackForm.slashCommand(text: text, user: user)
        let stamp = String(Int(timestamp.timeIntervalSince1970))
        var headers: [(String, String)] = []
        if let secret {
            headers.append(("X-Slack-Request-Timestamp", stamp))
            headers.append(("X-Slack-Signature", SlackForm.sign(form, secret: secret, timestamp: stamp)))
        }
        let sent = tamper?(form) ?? form
        return try request(
            "POST", "/api/v1/chat/slack", key: nil, headers: headers, body: Array(sent.utf8),
            contentType: "application/x-www-form-urlencoded")
    }

    /// Timeline entries of an incident or alert as `[(kind, actor, body)]`.
    func chatTimeline(_ path: String) throws -> [(kind: String, actor: String, body: String)] {
        let response = try admin("GET", path + "/timeline?limit=500")
        try #require(response.status == 200, "timeline: \(response.bodyText)")
        let items = response.json["items"] as? [[String: Any]] ?? []
        return items.map {
            ($0["kind"] as? String ?? "", $0["actor"] as? String ?? "", $0["body"] as? String ?? "")
        }
    }
}

/// Slack's slash-command form and request signature, written here from Slack's documentation
/// (not with the server's code) so the tests check the server against the protocol.
enum SlackForm {
    /// A slash-command body as Slack sends it: fields in Slack's order, form-urlencoded.
    static func slashCommand(text: String, user: String) -> String {
        let fields = [
            ("token", "deprecated-verification-token"), ("team_id", "T0001"), ("team_domain", "example"),
            ("channel_id", "C2147483705"), ("channel_name", "incidents"), ("user_id", "U2147483697"),
            ("user_name", user), ("command", "/incident"), ("text", text),
            ("api_app_id", "A123456"), ("response_url", "https://hooks.slack.com/commands/1234/5678"),
            ("trigger_id", "13345224609.738474920.8088930838d88f008e0"),
        ]
        return encode(fields)
    }

    /// `application/x-www-form-urlencoded` (WHATWG URL §5.2): unreserved bytes as is, space as
    /// `+`, everything else `%XX`.
    static func encode(_ fields: [(String, String)]) -> String {
        func escape(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                    UInt8(ascii: "_"), UInt8(ascii: "*"):
                    out.append(Character(UnicodeScalar(byte)))
                case UInt8(ascii: " "):
                    out.append("+")
                default:
                    out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
                }
            }
            return out
        }
        return fields.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{body}`).
    static func sign(_ body: String, secret: String, timestamp: String) -> String {
        "v0="
            + Crypto.hex(
                Crypto.hmacSHA256(key: Array(secret.utf8), message: Array("v0:\(timestamp):\(body)".utf8)))
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
