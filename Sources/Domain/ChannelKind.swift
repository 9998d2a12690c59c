/// How a channel reaches people (SPEC §9).
public enum ChannelKind: String, Sendable, CaseIterable, Codable {
    /// `POST url` with the event JSON, signed (Standard Webhooks and `X-Incidentd-Signature`).
    case webhook
    /// A text/plain mail to `to`, one thread per incident.
    case email
    /// A Slack incoming-webhook URL, `{text, blocks}`.
    case slack
}
