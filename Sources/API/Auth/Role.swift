/// What an API key may do (SPEC §5). Each role includes the ones below it.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// GET routes.
    case viewer
    /// Also acknowledge, resolve, notes, status changes, post-mortems.
    case responder
    /// Also services, integrations and API keys.
    case admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .responder: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
