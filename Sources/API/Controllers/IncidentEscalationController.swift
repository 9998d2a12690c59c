import Domain
import Foundation
import HTTPServer
import Repositories

/// `GET /api/v1/incidents/{id}/escalation` (SPEC §11): the plan the incident's escalation
/// follows, where it stands, when the next step fires, and every page with its delivery's state.
enum IncidentEscalationController {
    /// 404 for an incident that has no escalation (SEV3/SEV4, or no service with a policy).
    /// Not cached: page deliveries change state without a request (the delivery workers).
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        let id = try IncidentsController.incidentID(text)
        guard let detail = try EscalationRepository(context.connection).detail(incidentID: id) else {
            guard try IncidentRepository(context.connection).find(id: id) != nil else {
                throw DomainError.notFound(.incident, text)
            }
            throw ProblemDetails(
                status: 404,
                detail:
                    "\(EntityRef.incident(id)) has no escalation: only SEV1 and SEV2 incidents page, through the "
                    + "escalation policy of one of their services.")
        }
        return try APIJSON.response(EscalationDTO(detail))
    }
}
