import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/api-keys`, `DELETE /api/v1/api-keys/{id}` (admin, issue 4).
enum APIKeysController {
    static let maxNameLength = 100  // 422 beyond

    struct CreateBody: Decodable {
        let name: String?
        let role: String?
        let expiresAt: Date?

        enum CodingKeys: String, CodingKey {
            case name, role
            case expiresAt = "expires_at"
        }
    }

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(CreateBody.self)
        var issues: [FieldIssue] = []
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if name.isEmpty { issues.append(FieldIssue(field: "name", message: "is required")) }
        if name.count > maxNameLength {
            issues.append(FieldIssue(field: "name", message: "must be at most \(maxNameLength) characters"))
        }
        let role = body.role.flatMap { Role(rawValue: $0.lowercased()) }
        if role == nil {
            issues.append(FieldIssue(field: "role", message: "must be one of viewer, responder, admin"))
        }
        if let expiresAt = body.expiresAt, expiresAt <= context.now {
            issues.append(FieldIssue(field: "expires_at", message: "must be in the future"))
        }
        guard issues.isEmpty, let role else { throw ValidationError(issues) }
        let issued = try APIKeyIssuer.issue(
            name: name, role: role, expiresAt: body.expiresAt, connection: context.connection)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/api-keys/\(issued.record.id)")
        headers.set(name: "Cache-Control", value: "no-store")
        return try APIJSON.response(
            APIKeyDTO(issued.record, secret: issued.secret), status: 201, headers: headers)
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let keys = try APIKeyRepository(context.connection).list()
        return try APIJSON.response(ListPage(items: keys.map { APIKeyDTO($0, secret: nil) }, nextCursor: nil))
    }

    @Sendable static func revoke(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        guard let id = Int64(text), id > 0 else { throw DomainError.notFound(.apiKey, text) }
        guard let record = try APIKeyRepository(context.connection).revoke(id: id, at: context.now) else {
            throw DomainError.notFound(.apiKey, text)
        }
        return try APIJSON.response(APIKeyDTO(record, secret: nil))
    }
}
