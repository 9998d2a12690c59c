import Domain
import Foundation
import HTTPServer

/// The query parameters every list route shares (SPEC §4), checked into one `Validator` so a
/// request hears about every bad parameter at once.
extension Validator {
    /// `since=` as an RFC 3339 timestamp, nil when absent.
    mutating func since(_ query: QueryParameters) -> Date? {
        guard let text = query["since"] else { return nil }
        let since = RFC3339.parse(text)
        check(since != nil, "since", "must be an RFC 3339 timestamp such as 2026-11-22T14:30:00Z")
        return since
    }

    /// `limit=` and `cursor=`, nil when invalid (the issues are recorded).
    mutating func page(_ query: QueryParameters) -> PageRequest? {
        do {
            return try PageRequest(query)
        } catch {
            for issue in error.issues { add(issue.field, issue.message) }
            return nil
        }
    }
}

extension QueryParameters {
    /// Every value of a repeatable filter, also comma-separated (`status=triggered,acknowledged`).
    func listValues(_ name: String) -> [String] {
        values(for: name).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
