import Domain
import Foundation
import Repositories

/// A channel as the admin API shows it (SPEC §9). `url` and `to` are shown (admin routes only:
/// URLs are secrets, SPEC §14); `secret` only in the answer that made it (create, rotation).
struct ChannelDTO: Encodable {
    let id: Int64
    let name: String
    let kind: String
    let url: String?
    let to: [String]?
    let events: [String]
    let services: [String]
    let minSeverity: String
    let enabled: Bool
    let disabledReason: String?
    /// Until when the previous secret still signs, during a rotation's overlap.
    let previousSecretValidUntil: Date?
    let createdAt: Date
    let updatedAt: Date
    let secret: String?

    init(_ record: ChannelRecord, secret: String? = nil, now: Date) {
        id = record.id
        name = record.name
        kind = record.kind.rawValue
        url = record.url
        to = record.recipients
        events = record.events
        services = record.serviceNames
        minSeverity = record.minSeverity.rawValue
        enabled = record.enabled
        disabledReason = record.disabledReason
        previousSecretValidUntil = record.previousSecretUntil.flatMap { $0 > now ? $0 : nil }
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        self.secret = secret
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, url, to, events, services, enabled, secret
        case minSeverity = "min_severity"
        case disabledReason = "disabled_reason"
        case previousSecretValidUntil = "previous_secret_valid_until"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        // A channel has either a URL or recipients; the other key is left out.
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(to, forKey: .to)
        try container.encode(events, forKey: .events)
        try container.encode(services, forKey: .services)
        try container.encode(minSeverity, forKey: .minSeverity)
        try container.encode(enabled, forKey: .enabled)
        try container.encode(disabledReason, forKey: .disabledReason)
        try container.encode(previousSecretValidUntil, forKey: .previousSecretValidUntil)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encodeIfPresent(secret, forKey: .secret)
    }
}

/// A delivery as the admin API shows it (SPEC §9).
struct DeliveryDTO: Encodable {
    let id: Int64
    let eventID: Int64
    let channelID: Int64?
    /// A page's contact method (SPEC §11); null for a channel's delivery.
    let contactMethodID: Int64?
    /// `{incident, step, loop, user}` of a page; null for the usual fan-out.
    let page: DeliveryPageDTO?
    let state: String
    let attempts: Int
    /// When a pending delivery is due; null otherwise.
    let nextAttemptAt: Date?
    let lastAttemptAt: Date?
    let lastStatus: Int?
    let lastError: String?
    let deliveredAt: Date?
    let createdAt: Date

    init(_ record: DeliveryRecord) {
        id = record.id
        eventID = record.eventID
        channelID = record.channelID
        contactMethodID = record.contactMethodID
        page = record.page.map(DeliveryPageDTO.init)
        state = record.state.rawValue
        attempts = record.attempts
        nextAttemptAt = record.state == .pending ? record.nextAttemptAt : nil
        lastAttemptAt = record.lastAttemptAt
        lastStatus = record.lastStatus
        lastError = record.lastError
        deliveredAt = record.deliveredAt
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, state, attempts
        case eventID = "event_id"
        case channelID = "channel_id"
        case contactMethodID = "contact_method_id"
        case page
        case nextAttemptAt = "next_attempt_at"
        case lastAttemptAt = "last_attempt_at"
        case lastStatus = "last_status"
        case lastError = "last_error"
        case deliveredAt = "delivered_at"
        case createdAt = "created_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(eventID, forKey: .eventID)
        try container.encode(channelID, forKey: .channelID)
        try container.encode(contactMethodID, forKey: .contactMethodID)
        try container.encode(page, forKey: .page)
        try container.encode(state, forKey: .state)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(nextAttemptAt, forKey: .nextAttemptAt)
        try container.encode(lastAttemptAt, forKey: .lastAttemptAt)
        try container.encode(lastStatus, forKey: .lastStatus)
        try container.encode(lastError, forKey: .lastError)
        try container.encode(deliveredAt, forKey: .deliveredAt)
        try container.encode(createdAt, forKey: .createdAt)
    }
}

/// Which escalation step a delivery pages: `{incident: "INC-7", step, loop, user}`.
struct DeliveryPageDTO: Encodable {
    let incident: String
    let step: Int
    let loop: Int
    let user: Int64?

    init(_ page: DeliveryRecord.Page) {
        incident = EntityRef.incident(page.incidentID).description
        step = page.step
        loop = page.loop
        user = page.userID
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(incident, forKey: .incident)
        try container.encode(step, forKey: .step)
        try container.encode(loop, forKey: .loop)
        try container.encode(user, forKey: .user)
    }

    enum CodingKeys: String, CodingKey { case incident, step, loop, user }
}
