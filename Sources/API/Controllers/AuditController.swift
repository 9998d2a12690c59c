import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/audit?since=&actor=&cursor=&limit=` (admin, issue 4).
enum AuditController {
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        let page = try PageRequest(query)
        var since: Date?
        if let text = query["since"] {
            guard let date = RFC3339.parse(text) else {
                throw ValidationError(field: "since", message: "must be an RFC 3339 timestamp")
            }
            since = date
        }
        let after = try page.cursor.map { cursor -> Int64 in
            guard let id = Int64(cursor), id >= 0 else {
                throw ValidationError(field: "cursor", message: "is not a cursor this API issued")
            }
            return id
        }
        let rows = try AuditRepository(context.connection).list(
            since: since, actor: query["actor"], after: after, limit: page.limit + 1)
        let items = rows.prefix(page.limit).map(AuditEntryDTO.init)
        let next = rows.count > page.limit ? items.last.map { String($0.id) } : nil
        return try APIJSON.response(ListPage(items: Array(items), nextCursor: next))
    }
}

/// An audit row as the API shows it.
struct AuditEntryDTO: Encodable {
    let id: Int64
    let occurredAt: Date
    let actorKind: String
    let actorID: Int64?
    let actorName: String
    let action: String
    let target: String
    let remoteAddress: String
    let requestID: String
    let status: Int

    init(_ entry: AuditEntry) {
        id = entry.id
        occurredAt = entry.occurredAt
        actorKind = entry.actorKind
        actorID = entry.actorID
        actorName = entry.actorName
        action = entry.action
        target = entry.target
        remoteAddress = entry.remoteAddress
        requestID = entry.requestID
        status = entry.status
    }

    enum CodingKeys: String, CodingKey {
        case id, action, target, status
        case occurredAt = "occurred_at"
        case actorKind = "actor_kind"
        case actorID = "actor_id"
        case actorName = "actor_name"
        case remoteAddress = "remote_address"
        case requestID = "request_id"
    }
}
