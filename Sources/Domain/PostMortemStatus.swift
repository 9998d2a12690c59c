import Foundation

/// Where a post-mortem stands (SPEC §3): `draft → in_review → published`.
public enum PostMortemStatus: String, Sendable, CaseIterable, Codable, Comparable {
    case draft
    case inReview = "in_review"
    case published

    /// Parses a status, ignoring case and surrounding whitespace; also accepts `in-review`.
    public init?(parsing text: String) {
        let key = text.trimmingWhitespaceAndNewlines().lowercased()
            .replacingOccurrences(of: "-", with: "_")
        guard let value = PostMortemStatus(rawValue: key) else { return nil }
        self = value
    }

    /// Position in the flow, 0 for `draft`.
    public var order: Int {
        switch self {
        case .draft: 0
        case .inReview: 1
        case .published: 2
        }
    }

    public static func < (lhs: PostMortemStatus, rhs: PostMortemStatus) -> Bool { lhs.order < rhs.order }
}
