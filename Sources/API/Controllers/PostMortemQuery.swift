import Domain
import Foundation
import HTTPServer

/// Query parameters shared by the post-mortem, action item and report routes, each read into
/// one ``Validator`` so a request with several bad parameters hears about all of them (SPEC §4).
enum PostMortemQuery {
    /// A boolean flag (`overdue=true`): `true`/`false`/`1`/`0`, any case; nil when absent.
    static func flag(_ query: QueryParameters, _ name: String, into check: inout Validator) -> Bool? {
        guard let text = query[name] else { return nil }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            check.add(name, "must be true or false")
            return nil
        }
    }
}
