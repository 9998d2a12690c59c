import Domain
import Foundation
import Postgres

/// A channel as stored (SPEC §9), secrets included: only admin routes and the delivery worker
/// read it.
public struct ChannelRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var kind: ChannelKind
    public var url: String?
    public var recipients: [String]?
    public var secret: String?
    public var previousSecret: String?
    public var previousSecretUntil: Date?
    public var events: [String]
    public var serviceIDs: [Int64]
    /// Names of `serviceIDs`, in the same order.
    public var serviceNames: [String]
    public var minSeverity: IncidentSeverity
    public var enabled: Bool
    public var disabledReason: String?
    public var createdAt: Date
    public var updatedAt: Date

    /// The secrets a webhook is signed with at `now`: the current one, and the previous one
    /// during a rotation's overlap.
    public func signingSecrets(at now: Date) -> [String] {
        guard let secret else { return [] }
        if let previousSecret, let until = previousSecretUntil, until > now {
            return [secret, previousSecret]
        }
        return [secret]
    }

    /// Columns every channel query selects; `c` is `channels`.
    static let columns: StaticString = """
        c.id, c.name, c.kind, c.url, c.recipients, c.secret, c.previous_secret, c.previous_secret_until,
        c.events, c.service_ids,
        ARRAY(SELECT s.name FROM unnest(c.service_ids) WITH ORDINALITY AS x(id, n)
              JOIN services s ON s.id = x.id ORDER BY x.n) AS service_names,
        c.min_severity, c.enabled, c.disabled_reason, c.created_at, c.updated_at
        """

    /// Decodes a row selected with ``columns``.
    init(row: PostgresRow) throws {
        let kindText: String = try row.decode("kind")
        let severityText: String = try row.decode("min_severity")
        guard let kind = ChannelKind(rawValue: kindText),
            let minSeverity = IncidentSeverity(rawValue: severityText)
        else { throw PostgresError(.decoding, message: "unknown channel kind or severity", column: "kind") }
        id = try row.decode("id")
        name = try row.decode("name")
        self.kind = kind
        url = try row.decode("url")
        recipients = try row.decode("recipients")
        secret = try row.decode("secret")
        previousSecret = try row.decode("previous_secret")
        previousSecretUntil = try row.decode("previous_secret_until")
        events = try row.decode("events")
        serviceIDs = try row.decode("service_ids")
        serviceNames = try row.decode("service_names")
        self.minSeverity = minSeverity
        enabled = try row.decode("enabled")
        disabledReason = try row.decode("disabled_reason")
        createdAt = try row.decode("created_at")
        updatedAt = try row.decode("updated_at")
    }
}
