import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /v2/alerts/{identifier}/acknowledge|close|notes?identifierType=id|alias|tiny` with the
/// optional body `{user, note, source}` (SPEC §12). `id` and `tiny` are the numeric alert id
/// (or `ALR-n`); `alias` is the dedup key of the open alert, or of the alert a recent Opsgenie
/// call with that alias named (so a second close finds the closed alert). A routing key acts on
/// its own service's alerts only.
extension OpsgenieController {
    /// Acknowledges (SPEC §3: again is a no-op; a closed alert is 409).
    @Sendable static func acknowledge(_ context: RequestContext) throws -> HTTPResponse {
        let body = try ActionBody.parse(try bodyObject(context, required: false), noteRequired: false)
        let alert = try findAlert(context)
        let result = try AlertRepository(context.connection).acknowledge(
            id: alert.id, actor: context.actor(body.user), note: body.note, now: context.now)
        return try accepted(
            context, action: "Acknowledge",
            status: result.changed ? "Acknowledged alert" : "Alert is already acknowledged",
            alert: result.record)
    }

    /// Closes (resolves) the alert, `note` as its resolution. Closing a closed alert changes
    /// nothing and succeeds, as Opsgenie's does (Alertmanager may send a resolve again).
    @Sendable static func close(_ context: RequestContext) throws -> HTTPResponse {
        let body = try ActionBody.parse(try bodyObject(context, required: false), noteRequired: false)
        let alert = try findAlert(context)
        if alert.status == .resolved {
            return try accepted(context, action: "Close", status: "Alert is already closed", alert: alert)
        }
        let result = try AlertRepository(context.connection).resolve(
            id: alert.id, actor: context.actor(body.user), resolution: body.note, now: context.now)
        return try accepted(context, action: "Close", status: "Closed alert", alert: result.record)
    }

    /// Adds `note` (required) to the alert's timeline; closed alerts take notes too.
    @Sendable static func addNote(_ context: RequestContext) throws -> HTTPResponse {
        let body = try ActionBody.parse(try bodyObject(context, required: true), noteRequired: true)
        let note = try checkedNote(body.note ?? "", context)
        let alert = try findAlert(context)
        try TimelineRepository(context.connection).append(
            .note(note, actor: context.actor(body.user)), to: .alert(alert.id, serviceID: alert.serviceID),
            now: context.now)
        return try accepted(context, action: "AddNote", status: "Added note", alert: alert)
    }

    /// The alert `{identifier}` names by `identifierType` (default `id`, as Opsgenie's); 404
    /// when there is none the caller may see, 403 for a routing key and another service's alert.
    static func findAlert(_ context: RequestContext) throws -> AlertRecord {
        let identifier = try context.pathParameter("identifier")
        let typeText = context.request.query["identifierType"] ?? OpsgenieAPI.IdentifierType.id.rawValue
        guard let type = OpsgenieAPI.IdentifierType(rawValue: typeText.lowercased()) else {
            throw ValidationError(
                field: "identifierType",
                message:
                    "must be one of \(OpsgenieAPI.IdentifierType.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        let alerts = AlertRepository(context.connection)
        let scope = callerServiceID(context.principal)
        var found: AlertRecord?
        switch type {
        case .id, .tiny:
            if let ref = try? EntityRef.parse(identifier, expecting: .alert) {
                found = try alerts.find(id: ref.id)
            }
        case .alias:
            found = try alerts.findOpen(dedupKey: identifier, serviceID: scope)
            if found == nil,
                let id = try OpsgenieRequestRepository(context.connection).lastAlertID(
                    alias: identifier, serviceID: scope)
            {
                found = try alerts.find(id: id)
            }
        }
        guard let found else { throw DomainError.notFound(.alert, "with \(type.rawValue) \(identifier)") }
        try AlertIngestion.checkAccess(to: found, context: context)
        return found
    }

    /// `{user, note, source}` of acknowledge, close and notes (`source` is accepted and unused).
    struct ActionBody {
        let user: String?
        let note: String?

        static func parse(_ object: [String: JSONValue], noteRequired: Bool) throws(ValidationError)
            -> ActionBody
        {
            var check = Validator()
            let fields = OpsgenieFields(object)
            let user = check.optional(
                "user", fields.string("user", into: &check), maxLength: OpsgenieAlertPayload.maxUserLength,
                singleLine: true)
            let noteText = fields.string("note", into: &check)
            let note = check.optional("note", noteText, maxLength: TimelineEntry.maxBodyLength)
            _ = fields.string("source", into: &check)
            if noteRequired && note == nil && noteText == nil { check.add("note", "is required") }
            try check.finish()
            return ActionBody(user: user, note: note)
        }
    }
}
