import Domain
import Foundation
import Repositories

/// What chat says about an incident's escalation (SPEC §11, issue 16): an `ack` reply names who
/// else was paged, so the others know they can stand down; `status INC-n` shows where the
/// escalation stands.
extension ChatDispatcher {
    /// "Escalation stopped at step 2 of Platform; also paged: Ben (step 2), Ana (step 1)" for
    /// the incident's escalation after an acknowledgement by this chat user (who is left out of
    /// the names); nil when the incident has no escalation.
    func othersPaged(incidentID: Int64) throws -> ChatText? {
        guard let detail = try EscalationRepository(connection).detail(incidentID: incidentID) else {
            return nil
        }
        let me = try UserRepository(connection).find(chatUser: actor)?.id
        var seen: Set<Int64> = []
        var others: [String] = []
        for page in detail.pages.reversed() {
            guard let userID = page.userID, userID != me, seen.insert(userID).inserted else { continue }
            others.append("\(page.userName ?? "user \(userID)") (step \(page.position.step))")
        }
        var text: ChatText = "Escalation \(detail.record.state.rawValue)"
        if detail.record.position.step > 0 {
            text.append(" at step \(detail.record.position.step) of \(detail.record.policyName)")
        }
        text.append(
            others.isEmpty ? "; no one else was paged" : "; also paged: \(others.joined(separator: ", "))")
        return text
    }

    /// The `status` line: "Escalation (Platform): active — step 2 of 4, loop 1 of 2; next step
    /// 14:32 UTC", or how it ended; nil when the incident has none.
    func escalationStatus(incidentID: Int64) throws -> ChatText? {
        guard let record = try EscalationRepository(connection).find(incidentID: incidentID) else {
            return nil
        }
        var text: ChatText = "Escalation (\(record.policyName)): \(record.state.rawValue)"
        let position =
            "step \(max(record.position.step, 1)) of \(record.plan.steps.count), loop \(record.position.loop) of \(record.plan.loops)"
        switch record.state {
        case .active:
            text.append(" — \(position)")
            if let next = record.nextStepAt { text.append("; next step \(time: next)") }
        case .acknowledged, .resolved:
            text.append(" at \(position)")
            if let by = record.stoppedBy { text.append(" by \(by)") }
            if let reason = record.stopReason { text.append(" (\(reason))") }
        case .exhausted:
            text.append(" — nobody acknowledged after \(record.plan.loops) loop(s)")
        }
        return text
    }
}
