import Foundation

/// What happens to a delivery after an attempt: the outcome (``DeliveryOutcome``) with the
/// backoff schedule applied.
public enum DeliveryDecision: Sendable, Equatable {
    case delivered
    /// Pending again, due after this many seconds.
    case retry(after: TimeInterval)
    /// Dead: no attempt is left, or the outcome allows none. SPEC §9: a `delivery.dead` event.
    case dead(disableChannel: Bool)

    /// The decision after attempt `attempt` (1-based) ended with `outcome`. A receiver's
    /// `Retry-After` replaces the schedule's delay but grants no extra attempt.
    public static func after(attempt: Int, outcome: DeliveryOutcome, backoff: DeliveryBackoff)
        -> DeliveryDecision
    {
        switch outcome.verdict {
        case .delivered:
            return .delivered
        case .dead:
            return .dead(disableChannel: false)
        case .deadDisablingChannel:
            return .dead(disableChannel: true)
        case .retry(let retryAfter):
            guard let delay = backoff.delay(afterAttempt: attempt) else {
                return .dead(disableChannel: false)
            }
            return .retry(after: retryAfter ?? delay)
        }
    }
}
