import Domain
import Foundation
import HTTPServer
import Postgres
import Repositories

/// `POST|GET /api/v1/status/components`, `GET|PATCH|DELETE /api/v1/status/components/{id}`
/// and `GET .../{id}/uptime` (admin, SPEC §13–§14). A component's `status` is derived on read
/// (``StatusComponentRepository/histories(of:at:)``); `PATCH {status}` sets a manual override,
/// `{status: null}` clears it.
enum StatusComponentsController {
    static let maxNameLength = 200
    static let maxDescriptionLength = 2_000
    static let maxGroupLength = 200

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(StatusComponentBody.self)
        var check = Validator()
        let name = check.required("name", body.name, maxLength: maxNameLength)
        let description =
            check.optional("description", body.description, maxLength: maxDescriptionLength) ?? ""
        let group = check.optional("group", body.group ?? nil, maxLength: maxGroupLength)
        let override = overrideStatus(body.status, check: &check)
        let serviceIDs = try resolveServices(body.services ?? [], check: &check, context: context)
        guard check.isValid, let name else { throw check.error }
        let repository = StatusComponentRepository(context.connection)
        let record = try repository.create(
            name: name, description: description, group: group, serviceIDs: serviceIDs, now: context.now)
        if let override, let status = override {
            try repository.setOverride(
                componentID: record.id, status: status, by: context.actor(nil), now: context.now)
        }
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/status/components/\(record.id)")
        return try APIJSON.response(try dto(record, context), status: 201, headers: headers)
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let repository = StatusComponentRepository(context.connection)
        let records = try repository.list()
        let histories = try repository.histories(of: records, at: context.now)
        var items: [StatusComponentDTO] = []
        for record in records {
            items.append(
                StatusComponentDTO(
                    record, status: histories[record.id]?.current(at: context.now) ?? .operational,
                    override: try repository.currentOverride(componentID: record.id)))
        }
        return try APIJSON.response(ListPage(items: items, nextCursor: nil))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(try dto(try find(context), context))
    }

    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let current = try find(context)
        let body = try context.request.decodeBody(StatusComponentBody.self)
        var check = Validator()
        let name = body.name == nil ? nil : check.required("name", body.name, maxLength: maxNameLength)
        let description = body.description.map { _ in
            check.optional("description", body.description, maxLength: maxDescriptionLength) ?? ""
        }
        let group: String?? = body.group.map { check.optional("group", $0, maxLength: maxGroupLength) }
        let override = overrideStatus(body.status, check: &check)
        let serviceIDs = try body.services.map { try resolveServices($0, check: &check, context: context) }
        try check.finish()
        let repository = StatusComponentRepository(context.connection)
        let record = try repository.update(
            id: current.id, name: name, description: description, group: group, serviceIDs: serviceIDs,
            now: context.now)
        if let override {
            try repository.setOverride(
                componentID: record.id, status: override, by: context.actor(nil), now: context.now)
        }
        return try APIJSON.response(try dto(try find(context), context))
    }

    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let component = try find(context)
        _ = try StatusComponentRepository(context.connection).delete(id: component.id)
        return HTTPResponse(status: 204)
    }

    /// `?from=&to=` (RFC 3339; default the last 7 days, the seeds' weekly report): percent of
    /// the window counted up by Atlassian's rule (SPEC §14).
    @Sendable static func uptime(_ context: RequestContext) throws -> HTTPResponse {
        let component = try find(context)
        let query = context.request.query
        var check = Validator()
        func time(_ field: String) -> Date? {
            guard let text = query[field] else { return nil }
            guard let date = RFC3339.parse(text) else {
                check.add(field, "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z")
                return nil
            }
            return date
        }
        let to = time("to") ?? context.now
        let from = time("from") ?? to.addingTimeInterval(-7 * 86_400)
        check.check(from <= to, "from", "must not be after to")
        try check.finish()
        let histories = try StatusComponentRepository(context.connection).histories(
            of: [component], at: context.now)
        let history = histories[component.id]
        let percent = history?.uptimePercent(from: from, to: to) ?? 100
        return try APIJSON.response(
            StatusUptimeDTO(component: component.id, from: from, to: to, uptimePercent: percent))
    }

    /// The component of the `{id}` path parameter; 404 when there is none.
    static func find(_ context: RequestContext) throws -> StatusComponentRecord {
        let text = try context.pathParameter("id")
        guard let id = Int64(text),
            let record = try StatusComponentRepository(context.connection).find(id: id)
        else { throw DomainError.notFound(.statusComponent, text) }
        return record
    }

    static func dto(_ record: StatusComponentRecord, _ context: RequestContext) throws -> StatusComponentDTO {
        let repository = StatusComponentRepository(context.connection)
        let history = try repository.histories(of: [record], at: context.now)[record.id]
        return StatusComponentDTO(
            record, status: history?.current(at: context.now) ?? .operational,
            override: try repository.currentOverride(componentID: record.id))
    }

    /// `status` of a body: nil when absent, `.some(nil)` to clear, else a component status.
    static func overrideStatus(_ value: String??, check: inout Validator) -> ComponentStatus?? {
        guard let value else { return nil }
        guard let text = value else { return .some(nil) }
        guard let status = ComponentStatus(rawValue: text) else {
            check.add(
                "status",
                "must be null or one of: \(ComponentStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return .some(status)
    }

    /// The ids of the services `references` name; unknown ones are issues naming `services[i]`.
    static func resolveServices(
        _ references: [ChannelBody.ServiceReference], check: inout Validator, context: RequestContext
    ) throws -> [Int64] {
        let texts = references.map { Validator.trimmed($0.text) ?? "" }
        let found = try ServiceRepository(context.connection).resolve(texts)
        var ids: [Int64] = []
        for (index, service) in found.enumerated() {
            if let service {
                if !ids.contains(service.id) { ids.append(service.id) }
            } else {
                check.add("services[\(index)]", "is not a known service name or id")
            }
        }
        return ids
    }
}
