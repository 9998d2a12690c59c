import Foundation

/// A kind-checked id: `INC-42` is incident 42, `ALR-7` is alert 7 (SPEC §3, §4).
///
/// `description` is the ref as clients see it (`INC-42`); kinds without a prefix print the
/// bare number.
public struct EntityRef: Sendable, Hashable, CustomStringConvertible {
    public let kind: EntityKind
    public let id: Int64

    /// Longest id accepted: 18 digits always fits `Int64` (and PostgreSQL `bigint`).
    public static let maxIDDigits = 18

    public init(kind: EntityKind, id: Int64) {
        self.kind = kind
        self.id = id
    }

    /// Incident `id`.
    public static func incident(_ id: Int64) -> EntityRef { EntityRef(kind: .incident, id: id) }

    /// Alert `id`.
    public static func alert(_ id: Int64) -> EntityRef { EntityRef(kind: .alert, id: id) }

    /// Maintenance window `id` (`MW-<id>`, SPEC §14).
    public static func maintenanceWindow(_ id: Int64) -> EntityRef {
        EntityRef(kind: .maintenanceWindow, id: id)
    }

    public var description: String {
        guard let prefix = kind.refPrefix else { return String(id) }
        return "\(prefix)-\(id)"
    }

    /// Parses a path id or chat ref for an expected kind: `42`, `INC-42`, `inc-42` for an
    /// incident; `7`, `ALR-7` for an alert; plain numbers for kinds without a prefix.
    ///
    /// SPEC §4: path ids accept the number or the ref. A ref of another kind (`ALR-7` where an
    /// incident is expected) is ``EntityRefError/wrongKind(expected:found:)``, never silently
    /// reinterpreted. The API answers any of these errors with 404 (no such resource).
    public static func parse(_ text: String, expecting kind: EntityKind) throws(EntityRefError) -> EntityRef {
        let ref = try parse(text, bareNumberKind: kind)
        guard ref.kind == kind else { throw .wrongKind(expected: kind, found: ref) }
        return ref
    }

    /// Parses a ref whose kind comes from its prefix; a bare number means `bareNumberKind`
    /// (issue 8: in chat a bare number is an incident).
    public static func parse(
        _ text: String, bareNumberKind: EntityKind = .incident
    ) throws(EntityRefError) -> EntityRef {
        let trimmed = text.trimmingWhitespaceAndNewlines()
        guard !trimmed.isEmpty else { throw .empty }
        var kind = bareNumberKind
        var digits = Substring(trimmed)
        if let dash = trimmed.firstIndex(of: "-") {
            let prefix = trimmed[..<dash].uppercased()
            guard let prefixed = EntityKind.allCases.first(where: { $0.refPrefix == prefix }) else {
                throw .malformed(trimmed)
            }
            kind = prefixed
            digits = trimmed[trimmed.index(after: dash)...]
        }
        guard let id = Self.id(from: digits) else { throw .malformed(trimmed) }
        return EntityRef(kind: kind, id: id)
    }

    /// A positive id from ASCII digits only: no sign, no spaces, at most ``maxIDDigits``.
    private static func id(from digits: Substring) -> Int64? {
        guard !digits.isEmpty, digits.count <= maxIDDigits,
            digits.unicodeScalars.allSatisfy({ $0.value >= 0x30 && $0.value <= 0x39 }),
            let value = Int64(digits), value > 0
        else { return nil }
        return value
    }
}

/// Why a ref could not be read. Each case has a sentence for the client in `description`.
public enum EntityRefError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Nothing was given.
    case empty
    /// Not a positive number nor `INC-<n>`/`ALR-<n>`/`MW-<n>`.
    case malformed(String)
    /// A valid ref of another kind than the one expected.
    case wrongKind(expected: EntityKind, found: EntityRef)

    public var description: String {
        switch self {
        case .empty:
            "No id was given."
        case .malformed(let text):
            "'\(text)' is not an id; use a number or a ref such as INC-42 or ALR-7."
        case .wrongKind(let expected, let found):
            "\(found) does not name \(expected.indefiniteName)."
        }
    }
}
