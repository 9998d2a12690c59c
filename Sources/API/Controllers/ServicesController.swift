import Domain
import Foundation
import HTTPServer
import Postgres
import Repositories

/// `POST|GET /api/v1/services`, `GET /api/v1/services/{id}`,
/// `POST /api/v1/services/{id}/integrations` (issue 4).
enum ServicesController {
    static let maxNameLength = 100  // 422 beyond (integration names)
    static let integrationKinds = ["generic", "pagerduty", "alertmanager", "runbook", "opsgenie"]

    struct CreateBody: Decodable {
        let name: String?
        let description: String?
        let criticalAlertIncidentSeverity: String?

        enum CodingKeys: String, CodingKey {
            case name, description
            case criticalAlertIncidentSeverity = "critical_alert_incident_severity"
        }
    }

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(CreateBody.self)
        // One rule for service names everywhere (alerts name services too): Domain's.
        let new = try NewService.validate(
            name: body.name, description: body.description,
            criticalAlertIncidentSeverity: body.criticalAlertIncidentSeverity)
        let service = try ServiceRepository(context.connection).create(
            name: new.name, description: new.description,
            criticalAlertIncidentSeverity: new.criticalAlertIncidentSeverity.rawValue)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/services/\(service.id)")
        return try APIJSON.response(ServiceDTO(service), status: 201, headers: headers)
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let services = try ServiceRepository(context.connection).list()
        return try APIJSON.response(ListPage(items: services.map(ServiceDTO.init), nextCursor: nil))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let service = try find(context)
        return try APIJSON.response(ServiceDTO(service))
    }

    struct IntegrationBody: Decodable {
        let name: String?
        let kind: String?
    }

    @Sendable static func createIntegration(_ context: RequestContext) throws -> HTTPResponse {
        let service = try find(context)
        let body = try context.request.decodeBody(IntegrationBody.self)
        let kind = body.kind?.lowercased() ?? "generic"
        var issues: [FieldIssue] = []
        if !integrationKinds.contains(kind) {
            issues.append(
                FieldIssue(
                    field: "kind", message: "must be one of \(integrationKinds.joined(separator: ", "))"))
        }
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? kind
        if name.isEmpty || name.count > maxNameLength {
            issues.append(FieldIssue(field: "name", message: "must be 1 to \(maxNameLength) characters"))
        }
        guard issues.isEmpty else { throw ValidationError(issues) }
        let (keyID, secret) = KeyFormat.newRoutingKey()
        let integration = try ServiceRepository(context.connection).createIntegration(
            serviceID: service.id, name: name, kind: kind, keyID: keyID, secretHash: KeyFormat.hash(secret))
        var headers = HTTPHeaders()
        headers.set(name: "Cache-Control", value: "no-store")
        return try APIJSON.response(
            IntegrationDTO(integration, routingKey: secret), status: 201, headers: headers)
    }

    /// The service named by the `{id}` path parameter (its number or its exact name).
    static func find(_ context: RequestContext) throws -> ServiceRecord {
        let text = try context.pathParameter("id")
        let repository = ServiceRepository(context.connection)
        let found = try Int64(text).flatMap { try repository.find(id: $0) } ?? repository.find(name: text)
        guard let found else { throw DomainError.notFound(.service, text) }
        return found
    }
}
