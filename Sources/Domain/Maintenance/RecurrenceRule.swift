/// The RFC 5545 recurrence rule subset of SPEC §12: `FREQ=DAILY|WEEKLY`, `INTERVAL`, `BYDAY`,
/// `BYHOUR`, `BYMINUTE` (the seeds' "Sunday 2–4 AM UTC" is `FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0`).
///
/// A rule says which wall-clock times recur; ``Recurrence`` adds the zone, the first wall time
/// (RFC 5545's DTSTART) and the duration. Rule parts a rule leaves out take DTSTART's values, as
/// RFC 5545 §3.3.10 says: the hour and minute (and second) of the day, and for `WEEKLY` the day of
/// the week.
public struct RecurrenceRule: Sendable, Hashable, CustomStringConvertible {
    /// `FREQ`: what `INTERVAL` counts.
    public enum Frequency: String, Sendable, Hashable, CaseIterable {
        case daily = "DAILY"
        case weekly = "WEEKLY"
    }

    public let frequency: Frequency
    /// Every `interval`-th day or week, counted from DTSTART's (weeks start on Monday, RFC 5545's
    /// default `WKST=MO`).
    public let interval: Int
    /// `BYDAY`, ascending; empty when the rule has none.
    public let days: [Weekday]
    /// `BYHOUR`, ascending; empty when the rule has none.
    public let hours: [Int]
    /// `BYMINUTE`, ascending; empty when the rule has none.
    public let minutes: [Int]

    /// Largest `INTERVAL` (about two years of weeks): a window that rarely recurs is a one-off.
    public static let maxInterval = 99  // 422 beyond
    /// Longest rule text accepted.
    public static let maxLength = 500  // 422 beyond

    public init(
        frequency: Frequency, interval: Int = 1, days: [Weekday] = [], hours: [Int] = [], minutes: [Int] = []
    ) {
        self.frequency = frequency
        self.interval = interval
        self.days = Array(Set(days)).sorted()
        self.hours = Array(Set(hours)).sorted()
        self.minutes = Array(Set(minutes)).sorted()
    }

    /// The rule in a canonical spelling: `FREQ` first, `INTERVAL` only when not 1, then `BYDAY`,
    /// `BYHOUR`, `BYMINUTE` in ascending order (`FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0`).
    public var description: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if !days.isEmpty { parts.append("BYDAY=" + days.map(Self.code).joined(separator: ",")) }
        if !hours.isEmpty { parts.append("BYHOUR=" + hours.map(String.init).joined(separator: ",")) }
        if !minutes.isEmpty { parts.append("BYMINUTE=" + minutes.map(String.init).joined(separator: ",")) }
        return parts.joined(separator: ";")
    }

    /// RFC 5545's two-letter weekday (`MO` … `SU`).
    static func code(_ day: Weekday) -> String {
        switch day {
        case .monday: "MO"
        case .tuesday: "TU"
        case .wednesday: "WE"
        case .thursday: "TH"
        case .friday: "FR"
        case .saturday: "SA"
        case .sunday: "SU"
        }
    }

    /// The seconds of the day the rule's occurrences fall on, ascending, for a rule counted from
    /// `start`: every `BYHOUR` × `BYMINUTE` pair, DTSTART's hour or minute where the rule has
    /// none, and always DTSTART's second (the subset has no `BYSECOND`).
    func secondsOfDay(start: LocalDateTime) -> [Int] {
        let startSecond = start.secondOfDay
        let hours = hours.isEmpty ? [startSecond / 3600] : hours
        let minutes = minutes.isEmpty ? [startSecond / 60 % 60] : minutes
        return hours.flatMap { hour in minutes.map { hour * 3600 + $0 * 60 + startSecond % 60 } }.sorted()
    }

    /// Whether the rule counted from DTSTART day `startDay` has occurrences on day `day` (days
    /// since 1970-01-01 of the wall clock).
    func occurs(onDay day: Int64, startDay: Int64) -> Bool {
        let weekday = Weekday(daysSinceEpoch: day)
        switch frequency {
        case .daily:
            return floorModulo(day - startDay, Int64(interval)) == 0
                && (days.isEmpty || days.contains(weekday))
        case .weekly:
            // Weeks run Monday to Sunday (WKST=MO); week 0 is DTSTART's.
            let mondayOfStart = startDay - Int64(Weekday(daysSinceEpoch: startDay).rawValue - 1)
            let week = floorDivide(day - mondayOfStart, 7)
            let allowed = days.isEmpty ? [Weekday(daysSinceEpoch: startDay)] : days
            return floorModulo(week, Int64(interval)) == 0 && allowed.contains(weekday)
        }
    }

    /// Days after which the pattern of days repeats: `INTERVAL` days (times 7 when `BYDAY`
    /// picks weekdays of a daily rule) or `INTERVAL` weeks.
    var cycleDays: Int64 {
        switch frequency {
        case .daily: days.isEmpty ? Int64(interval) : Int64(interval) * 7
        case .weekly: Int64(interval) * 7
        }
    }
}
