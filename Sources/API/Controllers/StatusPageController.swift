import Domain
import Foundation
import HTTPServer
import Repositories

/// The public status page (SPEC §13–§14), no credentials: `GET /status` (HTML) and the
/// Statuspage-shaped JSON under `/status/api/v2/`. The JSON answers go through the response
/// cache, whose ETag/304 handling covers JSON; the HTML carries its own strong ETag and
/// answers a matching `If-None-Match` with 304 itself (RepresentationMiddleware only does
/// that for JSON).
enum StatusPageController {
    @Sendable static func summary(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(
            Summary(
                page: snapshot.page, components: snapshot.statuspageComponents,
                incidents: snapshot.statuspageIncidents,
                scheduledMaintenances: snapshot.statuspageMaintenances(active: nil), status: snapshot.status))
    }

    @Sendable static func status(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(StatusAnswer(page: snapshot.page, status: snapshot.status))
    }

    @Sendable static func components(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(
            ComponentsAnswer(page: snapshot.page, components: snapshot.statuspageComponents))
    }

    @Sendable static func unresolvedIncidents(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(
            IncidentsAnswer(page: snapshot.page, incidents: snapshot.statuspageIncidents))
    }

    @Sendable static func upcomingMaintenances(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(
            MaintenancesAnswer(
                page: snapshot.page, scheduledMaintenances: snapshot.statuspageMaintenances(active: false)))
    }

    @Sendable static func activeMaintenances(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        return try APIJSON.response(
            MaintenancesAnswer(
                page: snapshot.page, scheduledMaintenances: snapshot.statuspageMaintenances(active: true)))
    }

    /// `GET /status`: the HTML page, with its own ETag and 304.
    @Sendable static func page(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try StatusPageSnapshot(connection: context.connection, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: "text/html; charset=utf-8")
        // Polled by browsers and monitors: revalidate every time, a 304 costs no body.
        headers.set(name: "Cache-Control", value: "no-cache")
        var response = HTTPResponse(
            status: 200, headers: headers, body: Array(StatusPageHTML.render(snapshot).utf8))
        response.setContentHashTag()
        if let tag = response.headers["ETag"], let condition = context.request.headers["If-None-Match"],
            matches(condition, tag: tag)
        {
            var notModified = HTTPHeaders()
            notModified.set(name: "ETag", value: tag)
            notModified.set(name: "Cache-Control", value: "no-cache")
            return HTTPResponse(status: 304, headers: notModified)
        }
        return response
    }

    /// True when an `If-None-Match` value lists `tag` (weak comparison, RFC 9110 §13.1.2) or is `*`.
    static func matches(_ condition: String, tag: String) -> Bool {
        let bare = tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
        return condition.split(separator: ",").contains { item in
            let value = item.trimmingCharacters(in: .whitespaces)
            return value == "*" || (value.hasPrefix("W/") ? String(value.dropFirst(2)) : value) == bare
        }
    }

    /// The snapshot, the answer allowed into the response cache until the next maintenance
    /// boundary (a window starting or ending changes the page with no write).
    static func cachedSnapshot(_ context: RequestContext) throws -> StatusPageSnapshot {
        let snapshot = try StatusPageSnapshot(connection: context.connection, now: context.now)
        let boundaries = snapshot.maintenance.flatMap { [$0.startsAt, $0.endsAt] }.filter { $0 > context.now }
        // An upcoming window enters the 72-hour horizon with no write: look again within an hour.
        context.allowCaching(until: (boundaries + [context.now.addingTimeInterval(3_600)]).min())
        return snapshot
    }

    struct Summary: Encodable {
        let page: Statuspage.Page
        let components: [Statuspage.Component]
        let incidents: [Statuspage.Incident]
        let scheduledMaintenances: [Statuspage.Incident]
        let status: Statuspage.Status

        enum CodingKeys: String, CodingKey {
            case page, components, incidents, status
            case scheduledMaintenances = "scheduled_maintenances"
        }
    }

    struct StatusAnswer: Encodable {
        let page: Statuspage.Page
        let status: Statuspage.Status
    }

    struct ComponentsAnswer: Encodable {
        let page: Statuspage.Page
        let components: [Statuspage.Component]
    }

    struct IncidentsAnswer: Encodable {
        let page: Statuspage.Page
        let incidents: [Statuspage.Incident]
    }

    struct MaintenancesAnswer: Encodable {
        let page: Statuspage.Page
        let scheduledMaintenances: [Statuspage.Incident]

        enum CodingKeys: String, CodingKey {
            case page
            case scheduledMaintenances = "scheduled_maintenances"
        }
    }
}
