/// A validated `POST /channels` body (SPEC §9).
public struct NewChannel: Sendable, Hashable {
    public let name: String
    public let kind: ChannelKind
    /// webhook and slack.
    public let url: String?
    /// email.
    public let recipients: [String]?
    /// Event filters; default every incident event.
    public let events: [String]
    /// Service names or ids as given (the API resolves them); empty: every service.
    public let services: [String]
    /// Default SEV4: every severity.
    public let minSeverity: IncidentSeverity
    public let enabled: Bool

    /// Checks every field at once: `name`; `kind` (webhook, email, slack); `url` for webhook and
    /// slack, `to` for email (and neither of the other); `events`; `services`; `min_severity`.
    public static func validate(
        name: String?, kind: String?, url: String?, to: [String]?, events: [String]?, services: [String]?,
        minSeverity: String?, enabled: Bool?
    ) throws(ValidationError) -> NewChannel {
        var check = Validator()
        let name = check.required("name", name, maxLength: ChannelRules.maxNameLength)
        let kind = check.oneOf("kind", kind, allowed: ChannelKind.allCases.map(\.rawValue)) {
            ChannelKind(rawValue: $0.lowercased())
        }
        var checkedURL: String?
        var recipients: [String]?
        switch kind {
        case .email:
            check.check(url == nil, "url", "is for webhook and slack channels; an email channel takes to")
            recipients = ChannelRules.recipients(to, into: &check)
        case .webhook, .slack:
            check.check(to == nil, "to", "is for email channels; this channel takes url")
            checkedURL = ChannelRules.url("url", url, into: &check)
        case nil:
            break
        }
        let events = ChannelRules.events(events, default: EventType.defaultChannelFilters, into: &check)
        let services = ChannelRules.services(services, into: &check) ?? []
        let minSeverity = ChannelRules.minSeverity(minSeverity, default: .sev4, into: &check)
        guard check.isValid, let name, let kind, let events, let minSeverity else { throw check.error }
        return NewChannel(
            name: name, kind: kind, url: checkedURL, recipients: recipients, events: events,
            services: services,
            minSeverity: minSeverity, enabled: enabled ?? true)
    }
}
