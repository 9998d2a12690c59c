/// A validated `PATCH /channels/{id}` body: nil fields are left as they are.
public struct ChannelPatch: Sendable, Hashable {
    public var name: String?
    public var url: String?
    public var recipients: [String]?
    public var events: [String]?
    /// Service names or ids as given; an empty list means every service.
    public var services: [String]?
    public var minSeverity: IncidentSeverity?
    public var enabled: Bool?
    /// A webhook channel gets a new secret; the old one keeps signing for the overlap.
    public var rotateSecret: Bool

    public var isEmpty: Bool {
        name == nil && url == nil && recipients == nil && events == nil && services == nil
            && minSeverity == nil
            && enabled == nil && !rotateSecret
    }

    /// Checks the fields present against the channel's `kind` (which cannot change: a `kind`
    /// that differs is an issue naming it).
    public static func validate(
        currentKind: ChannelKind, name: String?, kind: String?, url: String?, to: [String]?,
        events: [String]?,
        services: [String]?, minSeverity: String?, enabled: Bool?, rotateSecret: Bool?
    ) throws(ValidationError) -> ChannelPatch {
        var check = Validator()
        var patch = ChannelPatch(rotateSecret: rotateSecret ?? false)
        if let name { patch.name = check.required("name", name, maxLength: ChannelRules.maxNameLength) }
        if let kind, ChannelKind(rawValue: kind.lowercased()) != currentKind {
            check.add("kind", "cannot change; make a new channel instead")
        }
        if let url {
            if currentKind == .email {
                check.add("url", "is for webhook and slack channels; an email channel takes to")
            } else {
                patch.url = ChannelRules.url("url", url, into: &check)
            }
        }
        if let to {
            if currentKind == .email {
                patch.recipients = ChannelRules.recipients(to, into: &check)
            } else {
                check.add("to", "is for email channels; this channel takes url")
            }
        }
        patch.events = ChannelRules.events(events, default: nil, into: &check)
        patch.services = ChannelRules.services(services, into: &check)
        if let minSeverity {
            patch.minSeverity = ChannelRules.minSeverity(minSeverity, default: nil, into: &check)
        }
        patch.enabled = enabled
        if patch.rotateSecret && currentKind != .webhook {
            check.add("rotate_secret", "only webhook channels have a secret")
        }
        try check.finish()
        return patch
    }

    public init(
        name: String? = nil, url: String? = nil, recipients: [String]? = nil, events: [String]? = nil,
        services: [String]? = nil, minSeverity: IncidentSeverity? = nil, enabled: Bool? = nil,
        rotateSecret: Bool = false
    ) {
        self.name = name
        self.url = url
        self.recipients = recipients
        self.events = events
        self.services = services
        self.minSeverity = minSeverity
        self.enabled = enabled
        self.rotateSecret = rotateSecret
    }
}
