/// SPEC §4 list shape: `{"items": [...], "next_cursor": "..." | null}`.
public struct ListPage<Item: Encodable>: Encodable {
    public let items: [Item]
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        // Always present, null on the last page (SPEC §4).
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
