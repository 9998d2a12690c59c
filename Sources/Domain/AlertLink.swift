import Foundation

/// A link attached to an alert (a dashboard, a runbook), as PagerDuty's `links[]`.
public struct AlertLink: Sendable, Hashable, Codable {
    public var href: String
    public var text: String?

    /// Longest `href`, in characters.
    public static let maxHrefLength = 2048
    /// Longest `text`, in characters.
    public static let maxTextLength = 1024

    public init(href: String, text: String? = nil) {
        self.href = href
        self.text = text
    }

    /// Checks one link at `links[index]`; returns it trimmed when valid.
    static func check(_ link: AlertLink, index: Int, into check: inout Validator) -> AlertLink? {
        let field = "links[\(index)]"
        let href = check.required("\(field).href", link.href, maxLength: maxHrefLength)
        let text = check.optional("\(field).text", link.text, maxLength: maxTextLength, singleLine: true)
        guard let href else { return nil }
        // Only web links: a `javascript:` or `file:` href rendered by a dashboard is a hazard.
        let scheme = URLComponents(string: href)?.scheme?.lowercased()
        guard scheme == "http" || scheme == "https" else {
            check.add("\(field).href", "must be an http or https URL")
            return nil
        }
        return AlertLink(href: href, text: text)
    }
}
