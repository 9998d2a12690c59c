/// The errors business operations throw, one case per HTTP outcome, so the API maps them in
/// one place: `notFound` → 404, `conflict` → 409, `validation` → 422.
public enum DomainError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No such `kind` with the id or ref the client gave (as they wrote it).
    case notFound(EntityKind, String)
    /// The request is valid but the current state forbids it (e.g. acting on a resolved alert).
    case conflict(String)
    /// Bad input; every bad field is listed.
    case validation([FieldIssue])

    /// Wraps a ``ValidationError`` so callers throwing `DomainError` carry it unchanged.
    public init(_ error: ValidationError) { self = .validation(error.issues) }

    /// The conflict for a refused transition, or nil when the outcome is `.apply`/`.noOp`.
    public static func from(_ outcome: TransitionOutcome) -> DomainError? {
        if case .conflict(let reason) = outcome { return .conflict(reason) }
        return nil
    }

    public var description: String {
        switch self {
        case .notFound(let kind, let ref): "No \(kind.displayName) \(ref) was found."
        case .conflict(let reason): reason
        case .validation(let issues): issues.map(\.description).joined(separator: "; ")
        }
    }
}
