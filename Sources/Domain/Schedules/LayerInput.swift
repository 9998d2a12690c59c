/// A layer as the client sent it, before validation (`POST /schedules` `layers[]`).
public struct LayerInput: Sendable, Hashable {
    /// The id of the stored layer this one replaces (PATCH); nil for a new layer or to match by
    /// name.
    public var id: Int64?
    public var name: String?
    public var rotation: String?
    public var length: Int?
    public var start: String?
    public var participants: [Int64]?
    public var restriction: RestrictionInput?

    public init(
        id: Int64? = nil, name: String? = nil, rotation: String? = nil, length: Int? = nil,
        start: String? = nil, participants: [Int64]? = nil, restriction: RestrictionInput? = nil
    ) {
        self.id = id
        self.name = name
        self.rotation = rotation
        self.length = length
        self.start = start
        self.participants = participants
        self.restriction = restriction
    }
}

/// A restriction as sent: `{days: ["mon", ...], from: "HH:MM", to: "HH:MM"}`.
public struct RestrictionInput: Sendable, Hashable {
    public var days: [String]?
    public var from: String?
    public var to: String?

    public init(days: [String]? = nil, from: String? = nil, to: String? = nil) {
        self.days = days
        self.from = from
        self.to = to
    }
}

extension LayerRestriction {
    /// Validates a restriction: `days` (default every day; at least one), `from` (default
    /// `00:00`) before `to` (default `24:00`, exclusive). Issues are named under `field`.
    static func validate(_ input: RestrictionInput, field: String, into check: inout Validator)
        -> LayerRestriction?
    {
        var days = Set(Weekday.allCases)
        if let given = input.days {
            days = []
            for (index, text) in given.enumerated() {
                if let day = Weekday(parsing: text.trimmingWhitespaceAndNewlines()) {
                    days.insert(day)
                } else {
                    check.add("\(field).days[\(index)]", "must be one of mon, tue, wed, thu, fri, sat, sun")
                }
            }
            if given.isEmpty { check.add("\(field).days", "must name at least one day") }
        }
        let from = minute(input.from, default: 0, field: "\(field).from", into: &check)
        let to = minute(input.to, default: 1440, field: "\(field).to", into: &check)
        guard let from, let to, !days.isEmpty else { return nil }
        guard from < 1440 else {
            check.add("\(field).from", "must be before 24:00")
            return nil
        }
        guard from < to else {
            check.add("\(field).to", "must be after from (to is exclusive; use 24:00 for midnight)")
            return nil
        }
        return LayerRestriction(days: days, fromMinute: from, toMinute: to)
    }

    /// `HH:MM` (00:00 … 24:00) as minutes after midnight.
    private static func minute(
        _ text: String?, default value: Int, field: String, into check: inout Validator
    )
        -> Int?
    {
        guard let text = Validator.trimmed(text) else { return value }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0...24).contains(hour),
            (0..<60).contains(minute), hour < 24 || minute == 0
        else {
            check.add(field, "must be a time HH:MM from 00:00 to 24:00")
            return nil
        }
        return hour * 60 + minute
    }
}
