/// One bad input field: its JSON name (snake_case, `lessons.went_well`, `links[2].href`) and
/// a sentence saying what is wrong. Rendered as an entry of problem+json `errors` (SPEC §4).
public struct FieldIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
