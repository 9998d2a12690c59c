import Foundation

/// How a person is reached (SPEC §10 contact methods; delivered through the outbox of §9 once
/// it exists, stored and validated until then).
public enum ContactMethodKind: String, Sendable, Hashable, CaseIterable {
    case email
    case webhook
    case slack
}

/// A validated `POST /users/{id}/contact-methods {kind, to | url}`: an e-mail address for
/// `email`, an http(s) URL for `webhook`, an https Slack incoming-webhook URL for `slack`.
public struct NewContactMethod: Sendable, Hashable {
    public let kind: ContactMethodKind
    /// The address or URL.
    public let address: String

    public static let maxURLLength = 2048  // 422 beyond

    public static func validate(kind: String?, to: String?, url: String?) throws(ValidationError)
        -> NewContactMethod
    {
        var check = Validator()
        let kind = check.oneOf("kind", kind, allowed: ContactMethodKind.allCases.map(\.rawValue)) {
            ContactMethodKind(rawValue: $0.lowercased())
        }
        var address: String?
        switch kind {
        case .email:
            if url != nil { check.add("url", "is for webhook and slack methods; an email method takes to") }
            if let text = Validator.trimmed(to) {
                address = EmailAddress.check("to", text, into: &check)
            } else {
                check.add("to", "is required for an email method")
            }
        case .webhook, .slack:
            if to != nil { check.add("to", "is for email methods; this kind takes url") }
            if let text = Validator.trimmed(url) {
                address = checkURL(text, httpsOnly: kind == .slack, into: &check)
            } else {
                check.add("url", "is required for a \(kind?.rawValue ?? "") method")
            }
        case nil:
            break
        }
        guard check.isValid, let kind, let address else { throw check.error }
        return NewContactMethod(kind: kind, address: address)
    }

    /// An absolute http(s) URL with a host and no user name or password in it. Which addresses
    /// may be reached (SPEC §9 refuses private ranges) is the sender's rule, checked when it
    /// connects.
    static func checkURL(_ text: String, httpsOnly: Bool, into check: inout Validator) -> String? {
        guard text.utf8.count <= maxURLLength, let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(),
            scheme == "https" || (!httpsOnly && scheme == "http"),
            let host = components.host, !host.isEmpty, components.user == nil, components.password == nil
        else {
            check.add("url", httpsOnly ? "must be an https:// URL" : "must be an http:// or https:// URL")
            return nil
        }
        return text
    }
}
