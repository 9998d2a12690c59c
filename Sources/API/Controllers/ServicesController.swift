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

    /// `POST /services` and `PATCH /services/{id}` body; `escalation_policy` (SPEC §11) is a
    /// policy id or name, or null (PATCH: no policy).
    struct ServiceBody: Decodable {
        let name: String?
        let description: String?
        let criticalAlertIncidentSeverity: String?
        let escalationPolicy: PolicyReference?

        enum CodingKeys: String, CodingKey {
            case name, description
            case criticalAlertIncidentSeverity = "critical_alert_incident_severity"
            case escalationPolicy = "escalation_policy"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            criticalAlertIncidentSeverity = try container.decodeIfPresent(
                String.self, forKey: .criticalAlertIncidentSeverity)
            escalationPolicy = try PolicyReference.decode(container, key: .escalationPolicy)
        }
    }

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(ServiceBody.self)
        // One rule for service names everywhere (alerts name services too): Domain's.
        var issues: [FieldIssue] = []
        var new: NewService?
        do {
            new = try NewService.validate(
                name: body.name, description: body.description,
                criticalAlertIncidentSeverity: body.criticalAlertIncidentSeverity)
        } catch {
            issues += error.issues
        }
        var policyID: Int64?
        do {
            if case .set(let id) = try policy(body.escalationPolicy, context) { policyID = id }
        } catch let error as ValidationError {
            issues += error.issues  // every bad field at once
        }
        guard issues.isEmpty, let new else { throw ValidationError(issues) }
        let service = try ServiceRepository(context.connection).create(
            name: new.name, description: new.description,
            criticalAlertIncidentSeverity: new.criticalAlertIncidentSeverity.rawValue,
            escalationPolicyID: policyID)
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

    /// `PATCH /services/{id} {escalation_policy, description, critical_alert_incident_severity}`
    /// (admin): `escalation_policy` null removes the policy; the name stays (routing keys and
    /// alerts refer to it).
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let service = try find(context)
        let body = try context.request.decodeBody(ServiceBody.self)
        var check = Validator()
        if body.name != nil, body.name != service.name {
            check.add("name", "cannot be changed: routing keys and alerts refer to the service by it")
        }
        let description = check.optional(
            "description", body.description, maxLength: Service.maxDescriptionLength)
        let severity = body.criticalAlertIncidentSeverity.flatMap { text in
            check.oneOf(
                "critical_alert_incident_severity", text, allowed: IncidentSeverity.allCases.map(\.rawValue)
            ) { IncidentSeverity(parsing: $0) }
        }
        var policy: FieldUpdate<Int64>?
        do {
            policy = try Self.policy(body.escalationPolicy, context)
        } catch let error as ValidationError {
            throw ValidationError(check.issues + error.issues)
        }
        try check.finish()
        guard
            let updated = try ServiceRepository(context.connection).update(
                id: service.id, description: description, criticalAlertIncidentSeverity: severity?.rawValue,
                escalationPolicy: policy)
        else { throw DomainError.notFound(.service, String(service.id)) }
        return try APIJSON.response(ServiceDTO(updated))
    }

    /// The policy a body's `escalation_policy` names: nil when absent, `.clear` for null, else
    /// the policy's id; a ``ValidationError`` naming `escalation_policy` for one that does not exist.
    static func policy(_ reference: PolicyReference?, _ context: RequestContext) throws -> FieldUpdate<Int64>?
    {
        switch reference {
        case nil: return nil
        case .null: return .clear
        case .reference(let text):
            guard let found = try EscalationPolicyRepository(context.connection).find(reference: text) else {
                throw ValidationError(
                    field: "escalation_policy", message: "no escalation policy \(text) exists")
            }
            return .set(found.id)
        }
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
