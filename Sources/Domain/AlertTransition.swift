/// The alert state machine of SPEC §3, as pure functions of the current status.
///
/// `triggered → acknowledged → resolved` and `triggered → resolved`. Acknowledging an
/// acknowledged alert is a 200 no-op; acting on a resolved alert is a 409 (a new trigger with
/// the same dedup key opens a new alert instead).
public enum AlertTransition {
    /// Whether an acknowledge request on an alert in `status` should change it.
    public static func acknowledge(from status: AlertStatus) -> TransitionOutcome {
        switch status {
        case .triggered: .apply
        // SPEC §3: acknowledging an acknowledged alert is a no-op 200.
        case .acknowledged: .noOp
        // SPEC §3: acting on a resolved alert is 409.
        case .resolved: .conflict("The alert is already resolved.")
        }
    }

    /// Whether a resolve request on an alert in `status` should change it.
    public static func resolve(from status: AlertStatus) -> TransitionOutcome {
        switch status {
        // SPEC §3: triggered → resolved is allowed without an acknowledgement.
        case .triggered, .acknowledged: .apply
        case .resolved: .conflict("The alert is already resolved.")
        }
    }

    /// Whether a trigger matching this alert's dedup key updates it (true) or must open a new
    /// alert (false): SPEC §3, after resolve the same key opens a new alert.
    public static func triggerDeduplicates(into status: AlertStatus) -> Bool { status.isOpen }
}
