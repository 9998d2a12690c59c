import Domain
import Foundation

/// Where a claimed delivery goes (SPEC §9, §11): a channel, or a paged person's contact method.
/// Both are reached the same three ways, by kind.
public enum DeliveryTarget: Sendable {
    case channel(ChannelRecord)
    case contactMethod(ContactMethodDestination)

    /// webhook, email or slack.
    public var kind: ChannelKind {
        switch self {
        case .channel(let channel): channel.kind
        case .contactMethod(let method): method.kind
        }
    }

    /// The webhook or Slack URL.
    public var url: String? {
        switch self {
        case .channel(let channel): channel.url
        case .contactMethod(let method): method.kind == .email ? nil : method.address
        }
    }

    /// The mail recipients.
    public var recipients: [String]? {
        switch self {
        case .channel(let channel): channel.recipients
        case .contactMethod(let method): method.kind == .email ? [method.address] : nil
        }
    }

    /// The secrets a webhook is signed with at `now` (a contact method has one, never rotated).
    public func signingSecrets(at now: Date) -> [String] {
        switch self {
        case .channel(let channel): channel.signingSecrets(at: now)
        case .contactMethod(let method): method.secret.map { [$0] } ?? []
        }
    }

    public var channelID: Int64? {
        if case .channel(let channel) = self { return channel.id }
        return nil
    }

    public var contactMethodID: Int64? {
        if case .contactMethod(let method) = self { return method.id }
        return nil
    }

    /// `channel 3` or `contact method 5`, for logs.
    public var label: String {
        switch self {
        case .channel(let channel): "channel \(channel.id)"
        case .contactMethod(let method): "contact method \(method.id)"
        }
    }
}

/// A contact method as the sender needs it, its webhook secret included: only the delivery
/// worker reads it.
public struct ContactMethodDestination: Sendable, Hashable {
    public let id: Int64
    public let userID: Int64
    public let kind: ChannelKind
    /// The e-mail address or the URL.
    public let address: String
    /// A webhook's signing secret.
    public let secret: String?
}
