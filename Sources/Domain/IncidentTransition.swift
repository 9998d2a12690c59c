/// The incident state machine of SPEC §3, as pure functions of the current state.
///
/// Status moves forward along `investigating → identified → monitoring → resolved`, skipping
/// allowed. Moving backwards is a conflict: SPEC §3 and issue 6 say changes follow the status
/// order, and a regression is better expressed as a status update message (or a new incident).
/// A resolved incident is closed: every change to it is a conflict (notes stay allowed, see
/// ``addNote(status:)``).
public enum IncidentTransition {
    /// What a `POST /incidents/{id}/status {status, message}` should do.
    public enum StatusChangeOutcome: Sendable, Equatable {
        /// Move to the new status (write `status_changed`, plus `status_update` for a message).
        case change
        /// Same status with a message: keep the status, record only the `status_update` entry.
        case updateOnly
        /// Same status, no message: nothing to record; answer with the incident unchanged.
        case noOp
        /// Refused (HTTP 409) for the reason given.
        case conflict(String)
    }

    /// Decides a status change from `current` to `target`; `hasMessage` is true when the
    /// request carries a non-empty status update message.
    public static func changeStatus(
        from current: IncidentStatus, to target: IncidentStatus, hasMessage: Bool
    ) -> StatusChangeOutcome {
        if current == .resolved {
            return .conflict("The incident is resolved; it cannot change status.")
        }
        if target == current {
            return hasMessage ? .updateOnly : .noOp
        }
        if target < current {
            return .conflict(
                "The status cannot move back from \(current.rawValue) to \(target.rawValue); "
                    + "the order is investigating → identified → monitoring → resolved.")
        }
        return .change
    }

    /// Decides `POST /incidents/{id}/acknowledge`: a no-op when already acknowledged.
    public static func acknowledge(status: IncidentStatus, isAcknowledged: Bool) -> TransitionOutcome {
        if status == .resolved { return .conflict("The incident is already resolved.") }
        return isAcknowledged ? .noOp : .apply
    }

    /// Decides `POST /incidents/{id}/resolve`: allowed from any open status.
    public static func resolve(status: IncidentStatus) -> TransitionOutcome {
        status == .resolved ? .conflict("The incident is already resolved.") : .apply
    }

    /// Decides an edit (PATCH fields, severity change, attaching alerts) of an incident.
    public static func edit(status: IncidentStatus) -> TransitionOutcome {
        status == .resolved ? .conflict("The incident is resolved; it can no longer be edited.") : .apply
    }

    /// Decides adding a note. Always allowed: notes append to the timeline without changing the
    /// incident, and responders add context after resolution while writing the post-mortem.
    public static func addNote(status: IncidentStatus) -> TransitionOutcome { .apply }
}
