/// What a state-change request should do, decided before any write.
///
/// The repository applies `.apply` (and writes its timeline entry in the same transaction),
/// answers `.noOp` with the unchanged object (HTTP 200), and turns `.conflict` into
/// ``DomainError/conflict(_:)`` (HTTP 409).
public enum TransitionOutcome: Sendable, Equatable {
    /// Make the change.
    case apply
    /// Already in the requested state: change nothing, succeed.
    case noOp
    /// Refused; the reason is a sentence for the API client.
    case conflict(String)
}
