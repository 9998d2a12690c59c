import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/stream` (viewer, SPEC §8, §14): Server-Sent Events of the event log. With
/// `Last-Event-ID` (or `?after=`) the events after that id are replayed from the log, then the
/// stream goes on live; without, it starts live. `types` and `service` filter as on `/events`.
/// A `:` comment after 15 s of silence. docs/STREAMING.md.
enum StreamController {
    @Sendable static func stream(_ context: RequestContext) throws -> HTTPResponse {
        let request = context.request
        var check = Validator()
        var after: Int64?
        // The header wins: EventSource sends it on every reconnection, with the URL it began with.
        let header = request.headers["Last-Event-ID"].map { $0.trimmingCharacters(in: .whitespaces) }
        if let text = header ?? request.query["after"] {
            after = Int64(text).flatMap { $0 > 0 ? $0 : nil }
            check.check(after != nil, header != nil ? "Last-Event-ID" : "after", "must be an event id")
        }
        let types = request.query.listValues("types")
        for type in types where !EventType.isValidFilter(type) {
            check.add("types", "\(type) is not an event type (nor family.* or *)")
        }
        var serviceID: Int64?
        if let service = Validator.trimmed(request.query["service"]) {
            serviceID = try ServiceRepository(context.connection).resolve([service])[0]?.id
            check.check(serviceID != nil, "service", "no service is named \(service)")
        }
        try check.finish()
        let events = EventRepository(context.connection)
        let start: EventLogPosition?
        if let after {
            guard let position = try events.position(of: after) else {
                throw ValidationError(
                    field: header != nil ? "Last-Event-ID" : "after", message: "no event has the id \(after)")
            }
            start = position
        } else {
            start = try events.horizon()
        }
        let hub = context.environment.streams
        let pool = context.environment.pool
        let filter = EventStreamFilter(types: types, serviceID: serviceID)
        let body = HTTPStreamBody(
            bufferLimit: hub.settings.bufferBytes,
            keepAlive: .init(interval: hub.settings.keepAlive, bytes: SSEFrame.keepAlive)
        ) { sink in
            hub.serve(sink, filter: filter, from: start, pool: pool)
        }
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: "text/event-stream; charset=utf-8")
        headers.set(name: "Cache-Control", value: "no-store")
        // nginx and similar proxies would otherwise hold events back to fill a buffer.
        headers.set(name: "X-Accel-Buffering", value: "no")
        return .streaming(body, headers: headers)
    }
}
