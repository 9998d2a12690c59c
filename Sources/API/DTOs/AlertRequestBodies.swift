import Domain
import Foundation

/// `POST /api/v1/alerts` (issue 5). Every field is optional here so that validation
/// (`NewAlert.validate`) can name every missing or bad field at once with 422.
struct AlertTriggerBody: Decodable {
    let service: String?
    let source: String?
    let summary: String?
    let severity: String?
    let dedupKey: String?
    let details: JSONValue?
    let links: [AlertLinkBody]?

    enum CodingKeys: String, CodingKey {
        case service, source, summary, severity, details, links
        case dedupKey = "dedup_key"
    }
}

/// A link as sent; `href` is checked by validation, not by decoding, so a missing one is a 422
/// naming `links[i].href`.
struct AlertLinkBody: Decodable {
    let href: String?
    let text: String?

    var link: AlertLink { AlertLink(href: href ?? "", text: text) }
}

/// `POST /api/v1/alerts/{id}/acknowledge` `{by, note}`; the body may be omitted.
struct AlertAcknowledgeBody: Decodable {
    let by: String?
    let note: String?
}

/// `POST /api/v1/alerts/{id}/resolve` `{by, resolution}`; the body may be omitted.
struct AlertResolveBody: Decodable {
    let by: String?
    let resolution: String?
}

/// `POST /api/v1/alerts/{id}/timeline` `{body, occurred_at, by}`: a note.
struct AlertNoteBody: Decodable {
    let body: String?
    let occurredAt: Date?
    let by: String?

    enum CodingKeys: String, CodingKey {
        case body, by
        case occurredAt = "occurred_at"
    }
}
