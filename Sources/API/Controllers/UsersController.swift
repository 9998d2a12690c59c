import Crypto
import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/users`, `GET|PATCH|DELETE /api/v1/users/{id}` and the contact methods
/// under them (SPEC §10, issue 15). Writes are admin routes, reads viewer (Routes.swift).
enum UsersController {
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(UserBody.self)
        let user = try NewUser.validate(
            name: body.name, email: body.email, chatUser: body.chatUser, timeZone: body.timeZone)
        let record = try UserRepository(context.connection).create(user)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/users/\(record.id)")
        return try APIJSON.response(
            UserDTO(record: record, contactMethods: []), status: 201, headers: headers)
    }

    /// `GET /users?limit=&cursor=`, in id order.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let result = try UserRepository(context.connection).list(limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(
                items: result.items.map { UserDTO(record: $0, contactMethods: nil) },
                nextCursor: result.nextCursor))
    }

    /// One person with their contact methods (secrets never shown again).
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let user = try find(context)
        let methods = try ContactMethodRepository(context.connection).list(userID: user.id)
        return try APIJSON.response(
            UserDTO(record: user, contactMethods: methods.map { ContactMethodDTO(record: $0, secret: nil) }))
    }

    /// Changes name, email, chat_user or time_zone (an empty email or chat_user clears it).
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let id = try userID(context)
        let body = try context.request.decodeBody(UserBody.self)
        let patch = try UserPatch.validate(
            name: body.name, email: body.email, chatUser: body.chatUser, timeZone: body.timeZone)
        guard
            let record = try UserRepository(context.connection).update(id: id, patch: patch, now: context.now)
        else {
            throw DomainError.notFound(.user, String(id))
        }
        return try APIJSON.response(UserDTO(record: record, contactMethods: nil))
    }

    /// 204; 409 while the person is on a rotation or has a current or future override.
    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let id = try userID(context)
        guard try UserRepository(context.connection).delete(id: id, now: context.now) else {
            throw DomainError.notFound(.user, String(id))
        }
        return HTTPResponse(status: 204)
    }

    /// `POST /users/{id}/contact-methods {kind, to | url}`: 201; a webhook's `secret`
    /// (`whsec_` + base64 of 32 random bytes, SPEC §9) is in this answer only.
    @Sendable static func createContactMethod(_ context: RequestContext) throws -> HTTPResponse {
        let id = try userID(context)
        let body = try context.request.decodeBody(ContactMethodBody.self)
        let method = try NewContactMethod.validate(kind: body.kind, to: body.to, url: body.url)
        let secret = method.kind == .webhook ? webhookSecret() : nil
        let record = try ContactMethodRepository(context.connection).add(method, userID: id, secret: secret)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/users/\(id)/contact-methods/\(record.id)")
        if secret != nil { headers.set(name: "Cache-Control", value: "no-store") }
        return try APIJSON.response(
            ContactMethodDTO(record: record, secret: secret), status: 201, headers: headers)
    }

    @Sendable static func listContactMethods(_ context: RequestContext) throws -> HTTPResponse {
        let user = try find(context)
        let methods = try ContactMethodRepository(context.connection).list(userID: user.id)
        return try APIJSON.response(
            ListPage(items: methods.map { ContactMethodDTO(record: $0, secret: nil) }, nextCursor: nil))
    }

    @Sendable static func deleteContactMethod(_ context: RequestContext) throws -> HTTPResponse {
        let id = try userID(context)
        let text = try context.pathParameter("mid")
        guard let methodID = Int64(text), methodID > 0,
            try ContactMethodRepository(context.connection).delete(id: methodID, userID: id)
        else { throw DomainError.notFound(.contactMethod, text) }
        return HTTPResponse(status: 204)
    }

    /// A webhook signing secret as Standard Webhooks and SPEC §9 spell it.
    static func webhookSecret() -> String {
        "whsec_" + Data(Crypto.randomBytes(32)).base64EncodedString()
    }

    /// The person named by `{id}`; 404 when there is none.
    static func find(_ context: RequestContext) throws -> UserRecord {
        let id = try userID(context)
        guard let user = try UserRepository(context.connection).find(id: id) else {
            throw DomainError.notFound(.user, String(id))
        }
        return user
    }

    /// The numeric `{id}` path parameter; 404 for anything else.
    static func userID(_ context: RequestContext) throws -> Int64 {
        let text = try context.pathParameter("id")
        guard let id = Int64(text), id > 0 else { throw DomainError.notFound(.user, text) }
        return id
    }
}
