import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST|GET /api/v1/maintenance-windows`, `GET|DELETE /api/v1/maintenance-windows/{id}` (SPEC §12,
/// §14): writes for responders, reads for viewers. Path ids are the number or `MW-<n>`.
///
/// Suppression is not here: the alert trigger statements look up the window covering an alert's
/// service themselves, and the transition job (App's `MaintenanceWindowJob`) ends periods. A
/// cancel ends a period in force at once, in the request's transaction.
///
/// Answers are never cached: a window's `state` and next period change with the clock alone.
enum MaintenanceWindowsController {
    /// 201 with the stored window. Every bad field at once, unknown services included (`services[i]`).
    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(MaintenanceWindowBody.self)
        var issues: [FieldIssue] = []
        var window: NewMaintenanceWindow?
        do {
            window = try NewMaintenanceWindow.validate(
                description: body.description, services: body.services?.map(\.text), isPublic: body.isPublic,
                startsAt: body.startsAt, endsAt: body.endsAt, rrule: body.rrule, timeZone: body.timeZone,
                durationSeconds: body.durationSeconds, now: context.now)
        } catch {
            issues = error.issues
        }
        let serviceIDs = try resolveServices(
            body.services?.map(\.text) ?? [], issues: &issues, context: context)
        guard issues.isEmpty, let window else { throw ValidationError(issues) }
        let record = try MaintenanceWindowRepository(context.connection).create(
            window, serviceIDs: serviceIDs, actor: context.actor(nil), now: context.now)
        // A public window shows on the status page (its components' status and scheduled
        // maintenance), whose answers read `services` (ADR 0006).
        if record.isPublic { context.changed(.services) }
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/maintenance-windows/\(record.ref)")
        return try APIJSON.response(
            MaintenanceWindowDTO(record, now: context.now), status: 201, headers: headers)
    }

    /// `GET /maintenance-windows?state=active|upcoming|past&limit=&cursor=`, newest first.
    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let query = context.request.query
        var check = Validator()
        let state = query["state"].flatMap { text in
            check.oneOf(
                "state", text, allowed: MaintenanceWindowState.allCases.map(\.rawValue),
                parse: { MaintenanceWindowState(rawValue: $0.lowercased()) })
        }
        let page = check.page(query)
        guard check.isValid, let page else { throw check.error }
        let result = try MaintenanceWindowRepository(context.connection).list(
            state: state, now: context.now, limit: page.limit, cursor: page.cursor)
        return try APIJSON.response(
            ListPage(
                items: result.items.map { MaintenanceWindowDTO($0, now: context.now) },
                nextCursor: result.nextCursor))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        guard let record = try MaintenanceWindowRepository(context.connection).find(id: try windowID(text))
        else {
            throw DomainError.notFound(.maintenanceWindow, text)
        }
        return try APIJSON.response(MaintenanceWindowDTO(record, now: context.now))
    }

    /// Cancels the window: 200 with it as it is afterwards (`state` past, `cancelled_at`). A window
    /// in a period ends at once: `maintenance.ended`, and the alerts it held back are handled as
    /// if they had just triggered, in this transaction. Cancelling again changes nothing; a one-off
    /// window that already ended is 409.
    @Sendable static func cancel(_ context: RequestContext) throws -> HTTPResponse {
        let text = try context.pathParameter("id")
        guard
            let transition = try MaintenanceWindowRepository(context.connection).cancel(
                id: try windowID(text), actor: context.actor(nil),
                policy: context.environment.settings.slaPolicy, now: context.now)
        else { throw DomainError.notFound(.maintenanceWindow, text) }
        return try APIJSON.response(MaintenanceWindowDTO(transition.window, now: context.now))
    }

    /// The id in `3` or `MW-3`; 404 for anything else.
    static func windowID(_ text: String) throws -> Int64 {
        do {
            return try EntityRef.parse(text, expecting: .maintenanceWindow).id
        } catch {
            throw DomainError.notFound(.maintenanceWindow, text)
        }
    }

    /// The ids of the services `references` name (SPEC §14: a name or an id); unknown ones become
    /// issues naming `services[i]`.
    private static func resolveServices(
        _ references: [String], issues: inout [FieldIssue], context: RequestContext
    ) throws -> [Int64] {
        let trimmed = references.map { Validator.trimmed($0) ?? "" }
        let found = try ServiceRepository(context.connection).resolve(trimmed)
        // Blank ones were already reported by NewMaintenanceWindow.
        for (index, service) in found.enumerated() where service == nil && !trimmed[index].isEmpty {
            issues.append(
                FieldIssue(field: "services[\(index)]", message: "no service is named \(references[index])"))
        }
        return Array(Set(found.compactMap { $0?.id })).sorted()
    }
}
