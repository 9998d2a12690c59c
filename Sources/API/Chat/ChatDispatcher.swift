import Domain
import Foundation
import Postgres
import Repositories

/// Runs chat commands (issue 8) inside the request's transaction (ADR 0002), as the chat user.
///
/// Each action calls the same repository method as its REST route, with the chat user as the
/// actor, so an `ack` from chat writes exactly what `POST /api/v1/incidents/{id}/acknowledge`
/// writes. Expected failures (unknown command or ref, a resolved target, a too-long text)
/// become replies, never errors; database errors are rethrown so the transaction rolls back.
///
/// Catching a `DomainError` and still committing is safe because the repositories decide
/// before they write (lock, decide with the transition rules, then update and log): a
/// not-found, conflict or validation error leaves nothing behind.
struct ChatDispatcher {
    let connection: PostgresConnection
    /// The chat user, recorded on timelines.
    let actor: String
    let now: Date

    /// Most incidents `open` lists; the reply says when more are open.
    static let maxListedIncidents = 20

    /// Parses `text` and runs it; a line that is not a command gets its usage back.
    func reply(to text: String) throws -> ChatReply {
        switch ChatCommand.parse(text) {
        case .failure(let error):
            return .failed(.usage, "\(error.message)")
        case .success(let command):
            return try run(command)
        }
    }

    /// Runs a parsed command.
    func run(_ command: ChatCommand) throws -> ChatReply {
        do {
            switch command {
            case .acknowledge(let ref, let note):
                let action = try ResponderAction.acknowledge(by: actor, note: note)
                return try ref.kind == .incident
                    ? acknowledgeIncident(ref.id, note: action.text)
                    : acknowledgeAlert(ref.id, note: action.text)
            case .resolve(let ref, let resolution):
                let action = try ResponderAction.resolve(by: actor, resolution: resolution)
                return try ref.kind == .incident
                    ? resolveIncident(ref.id, resolution: action.text)
                    : resolveAlert(ref.id, resolution: action.text)
            case .status(let ref):
                return try ref.kind == .incident ? incidentStatus(ref.id) : alertStatus(ref.id)
            case .update(let ref, let status, let message):
                return try updateIncident(
                    ref.id, change: StatusChange.validate(status: status.rawValue, message: message))
            case .note(let ref, let text):
                let note = try TimelineNote.validate(body: text, occurredAt: nil, now: now)
                return try ref.kind == .incident
                    ? noteIncident(ref.id, note: note) : noteAlert(ref.id, note: note)
            case .listOpen:
                return try listOpen()
            case .onCall(let schedule):
                return try onCall(schedule: schedule)
            case .help:
                return ChatReply(text: "\(ChatCommand.helpText)", showsUsage: true)
            }
        } catch let error as DomainError {
            return Self.reply(for: error)
        } catch let error as ValidationError {
            return Self.reply(for: .validation(error.issues))
        }
    }

    /// The reply for an expected failure.
    static func reply(for error: DomainError) -> ChatReply {
        switch error {
        case .notFound:
            return .failed(.notFound, "\(error.description)")
        case .conflict(let reason):
            return .failed(.conflict, "\(reason)")
        case .validation(let issues):
            return .failed(.invalid, "Not done: \(issues.map(\.description).joined(separator: "; ")).")
        }
    }

    /// `open`: open incidents, most severe first (newest first within a severity), at most
    /// ``maxListedIncidents``. One keyset query per severity on the open-incidents index.
    func listOpen() throws -> ChatReply {
        let repository = IncidentRepository(connection)
        var shown: [Incident] = []
        var more = false
        for severity in IncidentSeverity.allCases {
            let room = Self.maxListedIncidents - shown.count
            // With no room left, one row is enough to know whether more are open.
            let page = try repository.list(
                IncidentListFilter(statuses: Set(IncidentStatus.openStatuses), severities: [severity]),
                limit: max(room, 1), cursor: nil)
            if room <= 0 {
                more = !page.items.isEmpty
            } else {
                shown += page.items
                more = page.nextCursor != nil
            }
            // A further page means the list is full: later severities cannot be shown.
            if more { break }
        }
        return ChatReply(text: ChatSummary.openList(shown, more: more), subject: .incidents(shown))
    }
}
