import Foundation

/// A timeline entry about to be written: everything but the id, subject and `created_at`,
/// which the repository supplies. Build one with the factories in
/// `NewTimelineEntry+Factories.swift` so that bodies and `data` keys stay uniform.
public struct NewTimelineEntry: Sendable, Hashable {
    public var kind: TimelineEntryKind
    public var actor: String
    public var body: String
    public var data: [String: JSONValue]
    /// When it happened; nil means "now" in the database's clock (`DEFAULT now()`).
    public var occurredAt: Date?

    public init(
        kind: TimelineEntryKind, actor: String = TimelineEntry.systemActor, body: String = "",
        data: [String: JSONValue] = [:], occurredAt: Date? = nil
    ) {
        self.kind = kind
        self.actor = actor
        self.body = body
        self.data = data
        self.occurredAt = occurredAt
    }
}
