/// One field of a partial update (PATCH): set it to a value, or clear it.
///
/// Patch types hold `FieldUpdate<T>?`: nil leaves the field untouched. Validators read an
/// empty string for a clearable field as `.clear`, so the API need not tell JSON `null` from
/// an absent key.
public enum FieldUpdate<Value: Sendable & Hashable>: Sendable, Hashable {
    case set(Value)
    case clear

    /// The field's value after this update.
    public func applied(to current: Value?) -> Value? {
        switch self {
        case .set(let value): value
        case .clear: nil
        }
    }

    /// The new value, or nil for `.clear`.
    public var newValue: Value? { applied(to: nil) }
}
