import Foundation

/// A service named in a request body of part two: its name or its id (SPEC §14).
public enum ServiceReference: Sendable, Hashable, CustomStringConvertible {
    case id(Int64)
    case name(String)

    /// `42` is an id, anything else a name. (A service whose name is all digits is found by
    /// name when no service has that id; the repository looks both ways.)
    public init(text: String) {
        if let id = Int64(text), id > 0 { self = .id(id) } else { self = .name(text) }
    }

    public var description: String {
        switch self {
        case .id(let id): String(id)
        case .name(let name): name
        }
    }
}
