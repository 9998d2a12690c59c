import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/deliveries?state=&channel=&event=` and `POST /api/v1/deliveries/{id}/redeliver`
/// (admin, SPEC §9): the outbox, newest first, and sending a delivered or dead one again.
enum DeliveriesController {
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        let page = check.page(query)
        let state = query["state"].flatMap { text -> DeliveryRecord.State? in
            let state = DeliveryRecord.State(rawValue: text)
            check.check(
                state != nil, "state",
                "must be one of \(DeliveryRecord.State.allCases.map(\.rawValue).joined(separator: ", "))")
            return state
        }
        func id(_ name: String) -> Int64? {
            guard let text = query[name] else { return nil }
            let id = Int64(text).flatMap { $0 > 0 ? $0 : nil }
            check.check(id != nil, name, "must be a positive id")
            return id
        }
        let channel = id("channel")
        let event = id("event")
        let before = page?.cursor.flatMap { Int64($0) }
        check.check(page?.cursor == nil || before != nil, "cursor", "is not a cursor this API issued")
        try check.finish()
        let (deliveries, hasMore) = try DeliveryRepository(context.connection).list(
            DeliveryListFilter(state: state, channelID: channel, eventID: event), before: before,
            limit: page?.limit ?? PageRequest.defaultLimit)
        let next = hasMore ? deliveries.last.map { String($0.id) } : nil
        return try APIJSON.response(ListPage(items: deliveries.map(DeliveryDTO.init), nextCursor: next))
    }

    @Sendable static func redeliver(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        guard let id = Int64(text), id > 0 else { throw DomainError.notFound(.delivery, text) }
        let delivery = try DeliveryRepository(context.connection).redeliver(id: id, now: context.now)
        return try APIJSON.response(DeliveryDTO(delivery), status: 202)
    }
}
