import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /api/v1/incidents/{id}/status-updates` (responder, SPEC §13): a `status_update`
/// timeline entry and an `incident.status_update` event; a status other than the incident's
/// moves it first (as `POST /status` does). The answer carries `rendered`, the seeds' internal
/// template, or for a public update the status-page template. A public update needs a public
/// incident (409 otherwise: nothing reaches the page before the incident is published).
enum StatusUpdatesController {
    static let defaultNextUpdateMinutes = 30.0
    static let minimumNextUpdateMinutes = 0.05
    static let maximumNextUpdateMinutes = 10_080.0

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(StatusUpdateBody.self)
        var check = Validator()
        let status = check.oneOf("status", body.status, allowed: IncidentStatus.allCases.map(\.rawValue)) {
            IncidentStatus(parsing: $0)
        }
        let text = check.required(
            "body", body.body, maxLength: TimelineEntry.maxBodyLength, singleLine: false)
        let minutes = body.nextUpdateMinutes ?? defaultNextUpdateMinutes
        check.check(
            minutes >= minimumNextUpdateMinutes && minutes <= maximumNextUpdateMinutes, "next_update_minutes",
            "must be between \(minimumNextUpdateMinutes) and \(Int(maximumNextUpdateMinutes))")
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        guard check.isValid, let status, let text else { throw check.error }
        let isPublic = body.isPublic ?? false
        let id = try IncidentsController.pathID(context)
        let incidents = IncidentRepository(context.connection)
        let publications = IncidentPublicationRepository(context.connection)
        let actor = context.actor(by)
        guard let locked = try incidents.find(id: id) else {
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
        if isPublic, !(try publications.isPublic(id: id)) {
            throw DomainError.conflict(
                "\(locked.ref) is not public: make it public first (PATCH {\"public\": true}).")
        }
        var incident = locked
        if status != locked.status {
            let change = try StatusChange.validate(status: status.rawValue, message: nil)
            incident = try incidents.changeStatus(id: id, to: change, actor: actor, now: context.now).incident
        } else if locked.status == .resolved {
            throw DomainError.conflict("\(locked.ref) is resolved.")
        }
        let entry = try publications.addStatusUpdate(
            to: incident, status: status, body: text, isPublic: isPublic, nextUpdateMinutes: minutes,
            actor: actor,
            now: context.now)
        let rendered =
            isPublic
            ? StatusUpdateTemplate.publicText(
                incident: incident, status: status, body: text, nextUpdateMinutes: minutes)
            : StatusUpdateTemplate.internalText(
                incident: incident, status: status, body: text, nextUpdateMinutes: minutes, now: context.now)
        return try APIJSON.response(
            StatusUpdateAnswer(
                id: entry.id, incident: incident.ref.description, status: status.rawValue, body: text,
                isPublic: isPublic, nextUpdateMinutes: minutes, rendered: rendered,
                createdAt: entry.occurredAt,
                by: actor),
            status: 201)
    }

    struct StatusUpdateAnswer: Encodable {
        let id: Int64
        let incident: String
        let status: String
        let body: String
        let isPublic: Bool
        let nextUpdateMinutes: Double
        let rendered: String
        let createdAt: Date
        let by: String

        enum CodingKeys: String, CodingKey {
            case id, incident, status, body, rendered, by
            case isPublic = "public"
            case nextUpdateMinutes = "next_update_minutes"
            case createdAt = "created_at"
        }
    }
}
