import Domain
import Foundation
import HTTPServer
import Repositories

/// The public status page (SPEC §13–§14), no credentials: `GET /status` (HTML) and the
/// Statuspage-shaped JSON under `/status/api/v2/`. Every answer goes into the response cache
/// (ADR 0003), from which the event loop serves anonymous callers too (`CachedAnswerStage`);
/// RepresentationMiddleware gives the JSON and the HTML alike their ETag, 304 and gzip.
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

    /// `GET /status`: the HTML page.
    @Sendable static func page(_ context: RequestContext) throws -> HTTPResponse {
        let snapshot = try cachedSnapshot(context)
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: "text/html; charset=utf-8")
        // Polled by browsers and monitors: revalidate every time, a 304 costs no body.
        headers.set(name: "Cache-Control", value: "no-cache")
        return HTTPResponse(status: 200, headers: headers, body: Array(StatusPageHTML.render(snapshot).utf8))
    }

    /// The snapshot, the answer allowed into the response cache until the page would change
    /// with no write (``StatusPageSnapshot/nextChange``: a maintenance window starting, ending
    /// or coming within 72 hours). Writes drop it through their families (ADR 0006).
    static func cachedSnapshot(_ context: RequestContext) throws -> StatusPageSnapshot {
        let snapshot = try StatusPageSnapshot(connection: context.connection, now: context.now)
        context.allowCaching(until: snapshot.nextChange)
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
