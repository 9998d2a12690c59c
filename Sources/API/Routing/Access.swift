/// Who may call a route: declared once per route in `Routes.swift`, enforced in one place
/// (`Gate`, asked by the pipeline), never by checks inside handlers (issue 4).
public enum Access: Sendable, Equatable {
    /// No credentials: health, readiness, metrics.
    case open
    /// An API key with at least this role.
    case role(Role)
    /// An API key with at least this role, or a routing key (alert senders).
    case roleOrRoutingKey(Role)
    /// A routing key only, sent as `Authorization: Bearer` (Alertmanager).
    case routingKey
    /// The handler checks the credentials the sender's own format carries: PagerDuty's
    /// `routing_key` in the body, Slack's request signature.
    case credentialsInRequest
}
