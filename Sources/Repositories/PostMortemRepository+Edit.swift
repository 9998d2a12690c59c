import Domain
import Foundation
import Postgres

extension PostMortemRepository {
    /// Applies `patch` to incident `incidentID`'s post-mortem: text fields, then the status
    /// change decided by ``PostMortemTransition`` (issue 7: `draft → in_review → published`;
    /// published is read-only unless an admin reopens it).
    ///
    /// A status change writes its timeline entry on the incident in the same transaction
    /// (`postmortem_published` when published, `postmortem_status_changed` otherwise); publishing
    /// also appends a `postmortem.published` event.
    /// An admin may reopen and edit in one request; anyone may edit and publish in one.
    /// A patch that changes nothing writes nothing. Throws `.notFound` or `.conflict`.
    public func update(
        incidentID: Int64, patch: PostMortemPatch, isAdmin: Bool, actor: String, policy: SLAPolicy, now: Date
    ) throws -> PostMortemRecord {
        let current = try lock(incidentID: incidentID, policy: policy).postMortem
        var target = current.status
        if let requested = patch.status {
            let outcome = PostMortemTransition.changeStatus(
                from: current.status, to: requested, isAdmin: isAdmin)
            if let refusal = DomainError.from(outcome) { throw refusal }
            target = requested
        }
        // Text is checked against the status it ends up in when leaving `published` (an admin
        // reopening), else against the current one, so edit-and-publish works and a published
        // document cannot be edited by naming its own status.
        if patch.editsText,
            let refusal = DomainError.from(
                PostMortemTransition.edit(status: current.status == .published ? target : current.status))
        {
            throw refusal
        }
        guard patch.editsText || target != current.status else {
            return try read(incidentID: incidentID, policy: policy)
        }
        let edited = patch.applied(to: current)
        let publishedAt: Date? = target == .published ? (current.publishedAt ?? now) : nil
        try connection.execute(
            """
            UPDATE postmortems
            SET summary = \(edited.summary), impact = \(edited.impact), root_cause = \(edited.rootCause),
                went_well = \(edited.lessons.wentWell), went_wrong = \(edited.lessons.wentWrong),
                got_lucky = \(edited.lessons.gotLucky), prevention = \(edited.prevention),
                status = \(target.rawValue), published_at = \(publishedAt), updated_at = \(now)
            WHERE id = \(current.id)
            """)
        if target != current.status {
            try recordOnIncident(
                .postMortemStatusChanged(from: current.status, to: target, actor: actor),
                incidentID: incidentID,
                now: now)
            if target == .published, let incident = try IncidentRepository(connection).find(id: incidentID) {
                try EventRepository(connection).append(
                    .postMortemPublished(postMortemID: current.id, incident: incident, actor: actor), now: now
                )
            }
        }
        return try read(incidentID: incidentID, policy: policy)
    }

    /// The post-mortem of an incident known to have one in this transaction.
    func read(incidentID: Int64, policy: SLAPolicy) throws -> PostMortemRecord {
        guard let record = try find(incidentID: incidentID, policy: policy) else {
            // Callers locked the row earlier in this transaction, and rows are never deleted.
            throw PostgresError(.protocolViolation, message: "the locked post-mortem vanished")
        }
        return record
    }
}
