import Foundation

/// A validated new action item, `{owner, action, due_date, status}`.
public struct NewActionItem: Sendable, Hashable {
    public let owner: String
    public let action: String
    /// Optional: an item without a date is never overdue. A past date is accepted (items are
    /// sometimes recorded after the fact).
    public let dueDate: CalendarDate?
    /// `open` unless the body says otherwise (a follow-up already done when the post-mortem is
    /// written is recorded as `done`).
    public let status: ActionItemStatus

    /// Validates the decoded fields; `due_date` is a `YYYY-MM-DD` string, `status` `open` or
    /// `done` (default `open`).
    public static func validate(
        owner: String?, action: String?, dueDate: String?, status: String? = nil
    ) throws(ValidationError) -> NewActionItem {
        var check = Validator()
        let owner = check.required("owner", owner, maxLength: ActionItem.maxOwnerLength)
        let action = check.required("action", action, maxLength: ActionItem.maxActionLength)
        let date = checkDueDate(dueDate, into: &check)
        var parsedStatus: ActionItemStatus? = .open
        if status != nil {
            parsedStatus = check.oneOf("status", status, allowed: ActionItemStatus.allCases.map(\.rawValue)) {
                ActionItemStatus(parsing: $0)
            }
        }
        guard check.isValid, let owner, let action, let parsedStatus else { throw check.error }
        return NewActionItem(owner: owner, action: action, dueDate: date?.newValue, status: parsedStatus)
    }

    /// Reads `due_date`: nil when absent, `.clear` when blank, else a real `YYYY-MM-DD` date.
    static func checkDueDate(_ value: String?, into check: inout Validator) -> FieldUpdate<CalendarDate>? {
        guard let value else { return nil }
        guard let text = Validator.trimmed(value) else { return .clear }
        guard let date = CalendarDate(parsing: text) else {
            check.add("due_date", "must be a date as YYYY-MM-DD")
            return nil
        }
        return .set(date)
    }
}

/// A validated `PATCH /action-items/{id}` body: `{owner, action, due_date, status}`. Nil fields
/// are untouched; an empty `due_date` clears it.
public struct ActionItemPatch: Sendable, Hashable {
    public let owner: String?
    public let action: String?
    public let dueDate: FieldUpdate<CalendarDate>?
    public let status: ActionItemStatus?

    /// True when the body changes nothing.
    public var isEmpty: Bool { owner == nil && action == nil && dueDate == nil && status == nil }

    /// Validates the decoded fields.
    public static func validate(
        owner: String?, action: String?, dueDate: String?, status: String?
    ) throws(ValidationError) -> ActionItemPatch {
        var check = Validator()
        let owner = check.update(
            "owner", owner, maxLength: ActionItem.maxOwnerLength, singleLine: true, clearable: false)
        let action = check.update(
            "action", action, maxLength: ActionItem.maxActionLength, singleLine: true, clearable: false)
        let date = NewActionItem.checkDueDate(dueDate, into: &check)
        var parsedStatus: ActionItemStatus?
        if status != nil {
            parsedStatus = check.oneOf("status", status, allowed: ActionItemStatus.allCases.map(\.rawValue)) {
                ActionItemStatus(parsing: $0)
            }
        }
        try check.finish()
        return ActionItemPatch(
            owner: owner?.newValue, action: action?.newValue, dueDate: date, status: parsedStatus)
    }
}
