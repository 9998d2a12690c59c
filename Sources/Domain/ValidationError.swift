/// Input that failed validation, with every bad field at once (STYLE: "all bad fields at
/// once"), so a client fixes its request in one round trip. The API answers 422.
public struct ValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Never empty.
    public let issues: [FieldIssue]

    /// An error for the given issues; an empty list becomes one generic issue so the error
    /// always names something.
    public init(_ issues: [FieldIssue]) {
        self.issues = issues.isEmpty ? [FieldIssue(field: "", message: "is invalid")] : issues
    }

    /// An error for a single field.
    public init(field: String, message: String) {
        self.init([FieldIssue(field: field, message: message)])
    }

    /// The names of the bad fields, in the order found.
    public var fields: [String] { issues.map(\.field) }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
