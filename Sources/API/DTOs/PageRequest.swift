import Domain
import HTTPServer

/// `limit` and `cursor` of a list request (SPEC §4: limit 1–500, default 50).
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maxLimit = 500  // 422 beyond

    public let limit: Int
    public let cursor: String?

    public init(_ query: QueryParameters) throws(ValidationError) {
        if let text = query["limit"] {
            guard let value = Int(text), (1...Self.maxLimit).contains(value) else {
                throw ValidationError(
                    field: "limit", message: "must be a whole number from 1 to \(Self.maxLimit)")
            }
            limit = value
        } else {
            limit = Self.defaultLimit
        }
        cursor = query["cursor"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
