/// A day of the week, Monday first (ISO 8601), as layer restrictions name them (`"mon"`).
public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable {
    case monday = 1, tuesday, wednesday, thursday, friday, saturday, sunday

    /// The day of a day count since 1970-01-01, which was a Thursday.
    init(daysSinceEpoch days: Int64) {
        // Invariant: floorModulo is in 0..<7, so the raw value is in 1...7.
        self = Weekday(rawValue: Int(floorModulo(days + 3, 7)) + 1)!
    }

    /// The short name the API uses: `mon` … `sun`.
    public var name: String {
        switch self {
        case .monday: "mon"
        case .tuesday: "tue"
        case .wednesday: "wed"
        case .thursday: "thu"
        case .friday: "fri"
        case .saturday: "sat"
        case .sunday: "sun"
        }
    }

    /// `mon`, `Monday`, `MON`: the three-letter name or the full English name, any case.
    public init?(parsing text: String) {
        let lowered = text.lowercased()
        guard let day = Weekday.allCases.first(where: { lowered == $0.name || lowered == $0.fullName })
        else { return nil }
        self = day
    }

    var fullName: String {
        switch self {
        case .monday: "monday"
        case .tuesday: "tuesday"
        case .wednesday: "wednesday"
        case .thursday: "thursday"
        case .friday: "friday"
        case .saturday: "saturday"
        case .sunday: "sunday"
        }
    }

    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
}
