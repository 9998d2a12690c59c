import Foundation

/// Whether an action item is still to do.
public enum ActionItemStatus: String, Sendable, CaseIterable, Codable {
    case open
    case done

    /// Parses a status, ignoring case and surrounding whitespace.
    public init?(parsing text: String) {
        guard let value = ActionItemStatus(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
        else { return nil }
        self = value
    }
}

/// A follow-up from a post-mortem (seed 003: `- [ ] [Owner] - [Action] - [Due Date]`).
public struct ActionItem: Sendable, Hashable {
    public var id: Int64
    public var postMortemID: Int64
    public var owner: String
    public var action: String
    public var dueDate: CalendarDate?
    public var status: ActionItemStatus
    public var createdAt: Date
    public var updatedAt: Date

    /// Longest owner, in characters.
    public static let maxOwnerLength = 200
    /// Longest action, in characters.
    public static let maxActionLength = 1000

    public init(
        id: Int64, postMortemID: Int64, owner: String, action: String, dueDate: CalendarDate? = nil,
        status: ActionItemStatus = .open, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.postMortemID = postMortemID
        self.owner = owner
        self.action = action
        self.dueDate = dueDate
        self.status = status
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Open and due before `today` (UTC): an item due today is not yet overdue.
    public func isOverdue(today: CalendarDate) -> Bool {
        guard status == .open, let dueDate else { return false }
        return dueDate < today
    }
}
