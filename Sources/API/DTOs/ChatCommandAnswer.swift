import Domain
import Foundation
import Repositories

/// The generic bot's answer: `{"ok", "text", "changed", "error"?,
/// "incident"|"alert"|"incidents"|"oncall"?}`.
///
/// `text` is plain (no markup) and ready to post; `incident` and `alert` are shaped as
/// `GET /api/v1/incidents/{id}` and `GET /api/v1/alerts/{id}` show them; `error` says why a
/// command failed (`usage`, `not_found`, `conflict`, `invalid`).
struct ChatCommandAnswer: Encodable {
    let reply: ChatReply
    let now: Date
    let policy: SLAPolicy

    enum CodingKeys: String, CodingKey {
        case ok, text, changed, error, incident, alert, incidents, oncall
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(reply.isSuccess, forKey: .ok)
        try container.encode(reply.text.plain, forKey: .text)
        try container.encode(reply.changed, forKey: .changed)
        try container.encodeIfPresent(reply.failure.map(Self.errorCode), forKey: .error)
        switch reply.subject {
        case .incident(let detail)?:
            try container.encode(IncidentDTO(detail, now: now, policy: policy), forKey: .incident)
        case .alert(let record)?:
            try container.encode(AlertDTO(record), forKey: .alert)
        case .incidents(let incidents)?:
            try container.encode(
                incidents.map { IncidentDTO($0, now: now, policy: policy) }, forKey: .incidents)
        case .onCall(let entries)?:
            try container.encode(entries.map(ChatOnCallDTO.init), forKey: .oncall)
        case nil:
            break
        }
    }

    /// The `error` value of a failure.
    static func errorCode(_ failure: ChatReply.Failure) -> String {
        switch failure {
        case .usage: "usage"
        case .notFound: "not_found"
        case .conflict: "conflict"
        case .invalid: "invalid"
        }
    }

    /// The HTTP status of the answer: 200 when the command ran, else the status the REST route
    /// would give (404 unknown ref, 409 resolved target) and 422 for a line that is not a
    /// valid command or a text that is too long.
    static func status(of reply: ChatReply) -> Int {
        switch reply.failure {
        case nil: 200
        case .usage?, .invalid?: 422
        case .notFound?: 404
        case .conflict?: 409
        }
    }
}
