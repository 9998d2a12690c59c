import Domain
import Foundation
import HTTPServer
import Notifications
import Repositories

/// `GET /api/v1/events?after=&types=&service=&limit=` (viewer, SPEC §8): the event log in its
/// order, resumable from the last id a reader saw.
///
/// `after` is an event id (`cursor`, the `next_cursor` of a page, is the same thing); `types`
/// takes types, `family.*` or `*`, comma-separated or repeated; `service` a name or an id. An
/// event becomes readable once every transaction older than its own has ended (ADR 0005), so a
/// reader resuming with `after` never misses one committed late with a smaller id.
enum EventsController {
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        let page = check.page(query)
        var after: Int64?
        if let text = query["after"] ?? page?.cursor {
            after = Int64(text).flatMap { $0 > 0 ? $0 : nil }
            check.check(after != nil, query["after"] != nil ? "after" : "cursor", "must be an event id")
        }
        let types = query.listValues("types")
        for type in types where !EventType.isValidFilter(type) {
            check.add("types", "\(type) is not an event type (nor family.* or *)")
        }
        var serviceID: Int64?
        if let service = Validator.trimmed(query["service"]) {
            serviceID = try ServiceRepository(context.connection).resolve([service])[0]?.id
            check.check(serviceID != nil, "service", "no service is named \(service)")
        }
        try check.finish()
        let (events, hasMore) = try EventRepository(context.connection).list(
            EventListFilter(after: after, types: types, serviceID: serviceID), limit: page?.limit ?? 50)
        let next = hasMore ? events.last.map { String($0.id) } : nil
        return try APIJSON.response(ListPage(items: events.map(EventJSON.document), nextCursor: next))
    }
}
