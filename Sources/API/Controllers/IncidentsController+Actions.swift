import Domain
import Foundation
import HTTPServer
import Repositories

/// `PATCH /api/v1/incidents/{id}` and `POST /api/v1/incidents/{id}/acknowledge|status|resolve|alerts`
/// (issue 6). Each answers 200 with the incident as `GET /incidents/{id}` shows it; unknown
/// incident 404, a transition the state forbids 409, a bad field 422 naming it.
extension IncidentsController {
    /// Edits title, severity, summary, impact, commander; one timeline entry per changed field.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(IncidentPatchBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let patch: IncidentPatch
        do {
            patch = try IncidentPatch.validate(
                title: body.title, severity: body.severity, summary: body.summary, impact: body.impact,
                commander: body.commander)
        } catch {
            throw ValidationError(error.issues + check.issues)
        }
        try check.finish()
        let repository = IncidentRepository(context.connection)
        let id = try pathID(context)
        let publications = IncidentPublicationRepository(context.connection)
        if body.isPublic == false, try publications.isPublic(id: id) {
            throw ValidationError(
                field: "public",
                message: "cannot be turned off: what was published stays in the page's history")
        }
        var change = try repository.update(
            id: id, patch: patch, actor: context.actor(by),
            policy: context.environment.settings.slaPolicy, now: context.now)
        if body.isPublic == true {
            let published = try publications.publish(id: id, actor: context.actor(by), now: context.now)
            change = IncidentChange(
                incident: published.incident, changed: change.changed || published.changed)
        }
        return try respond(try repository.detail(of: change.incident), context)
    }

    /// Acknowledges the incident and its triggered alerts; already acknowledged: 200, unchanged.
    @Sendable static func acknowledge(_ context: RequestContext) throws -> HTTPResponse {
        let body = try optionalBody(IncidentAcknowledgeBody.self, context)
        let action = try ResponderAction.acknowledge(by: body?.by, note: body?.note)
        let repository = IncidentRepository(context.connection)
        let change = try repository.acknowledge(
            id: try pathID(context), actor: context.actor(action.by), note: action.text, now: context.now)
        return try respond(try repository.detail(of: change.incident), context)
    }

    /// Moves the status forward, with an optional status update message (seed 003's
    /// "Status / Impact / Lead / Next update").
    @Sendable static func changeStatus(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(IncidentStatusBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let change: StatusChange
        do {
            change = try StatusChange.validate(status: body.status, message: body.message)
        } catch {
            throw ValidationError(error.issues + check.issues)
        }
        try check.finish()
        let repository = IncidentRepository(context.connection)
        let result = try repository.changeStatus(
            id: try pathID(context), to: change, actor: context.actor(by), now: context.now)
        return try respond(try repository.detail(of: result.incident), context)
    }

    /// Resolves the incident and its open alerts.
    @Sendable static func resolve(_ context: RequestContext) throws -> HTTPResponse {
        let body = try optionalBody(IncidentResolveBody.self, context)
        let action = try ResponderAction.resolve(by: body?.by, resolution: body?.resolution)
        let repository = IncidentRepository(context.connection)
        let change = try repository.resolve(
            id: try pathID(context), actor: context.actor(action.by), resolution: action.text,
            now: context.now)
        return try respond(try repository.detail(of: change.incident), context)
    }

    /// Attaches alerts `{alert_ids: ["ALR-7", 8]}` to the incident.
    @Sendable static func attachAlerts(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(IncidentAttachBody.self)
        var check = Validator()
        let by = check.optional("by", body.by, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        let refs = body.alertIDs?.map(\.text) ?? []
        check.check(
            (1...Incident.maxAlertIDsPerRequest).contains(refs.count), "alert_ids",
            "must list 1 to \(Incident.maxAlertIDsPerRequest) alerts")
        var ids: [Int64] = []
        for (index, text) in refs.enumerated() {
            do {
                let id = try EntityRef.parse(text, expecting: .alert).id
                if !ids.contains(id) { ids.append(id) }
            } catch {
                check.add("alert_ids[\(index)]", error.description)
            }
        }
        try check.finish()
        let repository = IncidentRepository(context.connection)
        let change = try repository.attachAlerts(
            id: try pathID(context), alertIDs: ids, actor: context.actor(by), now: context.now)
        return try respond(try repository.detail(of: change.incident), context)
    }
}
