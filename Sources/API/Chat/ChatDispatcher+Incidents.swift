import Domain
import Foundation
import Repositories

/// Incident commands: the same `IncidentRepository` calls as `POST /api/v1/incidents/{id}/...`.
extension ChatDispatcher {
    /// `ack INC-42 [note]`: as `POST /incidents/{id}/acknowledge`; already acknowledged is a
    /// no-op reply (SPEC §3), shown only to the caller. The reply names who else was paged.
    func acknowledgeIncident(_ id: Int64, note: String?) throws -> ChatReply {
        let repository = IncidentRepository(connection)
        let change = try repository.acknowledge(id: id, actor: actor, note: note, now: now)
        let incident = change.incident
        var text: ChatText
        if change.changed {
            text = "\(strong: incident.ref) acknowledged by \(actor)"
            if let note { text.append(": \(note)") }
        } else {
            text = "\(strong: incident.ref) was already acknowledged"
            if let by = incident.acknowledgedBy { text.append(" by \(by)") }
            if let at = incident.acknowledgedAt { text.append(" at \(time: at)") }
        }
        text.append("\n\(ChatSummary.state(incident))")
        if change.changed, let paged = try othersPaged(incidentID: id) { text.append("\n\(paged)") }
        return ChatReply(
            text: text, changed: change.changed, subject: .incident(try repository.detail(of: incident)))
    }

    /// `resolve INC-42 [resolution]`: as `POST /incidents/{id}/resolve` (its open alerts too).
    func resolveIncident(_ id: Int64, resolution: String?) throws -> ChatReply {
        let repository = IncidentRepository(connection)
        let change = try repository.resolve(id: id, actor: actor, resolution: resolution, now: now)
        var text: ChatText = "\(strong: change.incident.ref) resolved by \(actor)"
        if let resolution { text.append(": \(resolution)") }
        text.append("\n\(ChatSummary.state(change.incident))")
        return ChatReply(
            text: text, changed: true, subject: .incident(try repository.detail(of: change.incident)))
    }

    /// `status INC-42`: as `GET /incidents/{id}`, with the escalation's state.
    func incidentStatus(_ id: Int64) throws -> ChatReply {
        guard let detail = try IncidentRepository(connection).detail(id: id) else {
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
        var text = ChatSummary.detail(detail)
        if let escalation = try escalationStatus(incidentID: id) { text.append("\n\(escalation)") }
        return ChatReply(text: text, subject: .incident(detail))
    }

    /// `update INC-42 identified <message>`: as `POST /incidents/{id}/status {status, message}`.
    func updateIncident(_ id: Int64, change: StatusChange) throws -> ChatReply {
        let repository = IncidentRepository(connection)
        let result = try repository.changeStatus(id: id, to: change, actor: actor, now: now)
        var text: ChatText =
            "\(strong: result.incident.ref) is \(strong: result.incident.status.rawValue) — update by \(actor)"
        if let message = change.message { text.append(": \(message)") }
        text.append("\n\(ChatSummary.state(result.incident))")
        return ChatReply(
            text: text, changed: result.changed,
            subject: .incident(try repository.detail(of: result.incident)))
    }

    /// `note INC-42 <text>`: as `POST /incidents/{id}/timeline {body}`.
    func noteIncident(_ id: Int64, note: TimelineNote) throws -> ChatReply {
        let repository = IncidentRepository(connection)
        _ = try repository.addNote(id: id, note: note, actor: actor, now: now)
        guard let detail = try repository.detail(id: id) else {
            // addNote found and touched the row in this transaction; incidents are never deleted.
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
        return ChatReply(
            text: "Note added to \(strong: detail.incident.ref) by \(actor)", changed: true,
            subject: .incident(detail))
    }
}
