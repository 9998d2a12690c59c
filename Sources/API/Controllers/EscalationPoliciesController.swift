import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/escalation-policies`, `GET|PATCH|DELETE /api/v1/escalation-policies/{id}`
/// (SPEC §11, issue 16). Path ids are the number or the exact name. Writes are admin routes,
/// reads viewer (Routes.swift).
enum EscalationPoliciesController {
    /// 201 with the stored policy; unknown targets, negative delays, `repeat` beyond 9 or no
    /// steps are 422s naming the field.
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(EscalationPolicyBody.self)
        let policy = try NewEscalationPolicy.validate(body.input)
        let record = try EscalationPolicyRepository(context.connection).create(policy, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/escalation-policies/\(record.id)")
        return try APIJSON.response(try dto(record, context), status: 201, headers: headers)
    }

    /// `GET /escalation-policies?limit=&cursor=`, in id order.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let repository = EscalationPolicyRepository(context.connection)
        let result = try repository.list(limit: page.limit, cursor: page.cursor)
        let names = try repository.targetNames(result.items.flatMap(\.plan.allTargets))
        return try APIJSON.response(
            ListPage(
                items: result.items.map { EscalationPolicyDTO($0, names: names) },
                nextCursor: result.nextCursor))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(try dto(try find(context), context))
    }

    /// Changes `name`, `repeat` or the whole `steps`; running escalations keep the plan they
    /// started with.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let current = try find(context)
        let body = try context.request.decodeBody(EscalationPolicyBody.self)
        let patch = try EscalationPolicyPatch.validate(body.input)
        guard
            let record = try EscalationPolicyRepository(context.connection).update(
                id: current.id, patch: patch, now: context.now)
        else { throw DomainError.notFound(.escalationPolicy, String(current.id)) }
        return try APIJSON.response(try dto(record, context))
    }

    /// 204; 409 while a service uses the policy.
    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let current = try find(context)
        guard try EscalationPolicyRepository(context.connection).delete(id: current.id) else {
            throw DomainError.notFound(.escalationPolicy, String(current.id))
        }
        return HTTPResponse(status: 204)
    }

    /// The policy the `{id}` path parameter names.
    static func find(_ context: RequestContext) throws -> EscalationPolicyRecord {
        let text = try context.pathParameter("id")
        guard let record = try EscalationPolicyRepository(context.connection).find(reference: text) else {
            throw DomainError.notFound(.escalationPolicy, text)
        }
        return record
    }

    static func dto(_ record: EscalationPolicyRecord, _ context: RequestContext) throws -> EscalationPolicyDTO
    {
        EscalationPolicyDTO(
            record,
            names: try EscalationPolicyRepository(context.connection).targetNames(record.plan.allTargets))
    }
}
