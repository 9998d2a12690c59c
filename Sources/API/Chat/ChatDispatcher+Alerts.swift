import Domain
import Foundation
import Repositories

/// Alert commands (`ALR-7` refs): the same `AlertRepository`/`TimelineRepository` calls as
/// `POST /api/v1/alerts/{id}/...`.
extension ChatDispatcher {
    /// `ack ALR-7 [note]`: as `POST /alerts/{id}/acknowledge`; already acknowledged is a no-op.
    /// For an alert in an incident the reply names who else was paged.
    func acknowledgeAlert(_ id: Int64, note: String?) throws -> ChatReply {
        let result = try AlertRepository(connection).acknowledge(id: id, actor: actor, note: note, now: now)
        let alert = result.record
        var text: ChatText
        if result.changed {
            text = "\(strong: alert.alert.ref) acknowledged by \(actor)"
            if let note { text.append(": \(note)") }
        } else {
            text = "\(strong: alert.alert.ref) was already acknowledged"
            if let by = alert.acknowledgedBy { text.append(" by \(by)") }
            if let at = alert.acknowledgedAt { text.append(" at \(time: at)") }
        }
        text.append("\n\(ChatSummary.state(alert))")
        if result.changed, let incidentID = alert.incidentID,
            let paged = try othersPaged(incidentID: incidentID)
        {
            text.append("\n\(paged)")
        }
        return ChatReply(text: text, changed: result.changed, subject: .alert(alert))
    }

    /// `resolve ALR-7 [resolution]`: as `POST /alerts/{id}/resolve`.
    func resolveAlert(_ id: Int64, resolution: String?) throws -> ChatReply {
        let result = try AlertRepository(connection).resolve(
            id: id, actor: actor, resolution: resolution, now: now)
        var text: ChatText = "\(strong: result.record.alert.ref) resolved by \(actor)"
        if let resolution { text.append(": \(resolution)") }
        text.append("\n\(ChatSummary.state(result.record))")
        return ChatReply(text: text, changed: result.changed, subject: .alert(result.record))
    }

    /// `status ALR-7`: as `GET /alerts/{id}`.
    func alertStatus(_ id: Int64) throws -> ChatReply {
        let alert = try findAlert(id)
        return ChatReply(text: ChatSummary.detail(alert), subject: .alert(alert))
    }

    /// `note ALR-7 <text>`: as `POST /alerts/{id}/timeline {body}` (resolved alerts take notes too).
    func noteAlert(_ id: Int64, note: TimelineNote) throws -> ChatReply {
        let alert = try findAlert(id)
        try TimelineRepository(connection).append(
            .note(note, actor: actor), to: .alert(alert.id, serviceID: alert.serviceID), now: now)
        return ChatReply(
            text: "Note added to \(strong: alert.alert.ref) by \(actor)", changed: true,
            subject: .alert(alert))
    }

    /// Alert `id`, or `DomainError.notFound`.
    private func findAlert(_ id: Int64) throws -> AlertRecord {
        guard let alert = try AlertRepository(connection).find(id: id) else {
            throw DomainError.notFound(.alert, EntityRef.alert(id).description)
        }
        return alert
    }
}
