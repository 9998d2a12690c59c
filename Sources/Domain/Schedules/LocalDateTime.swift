/// A wall-clock date and time without a zone: what a clock on the wall of the schedule's zone
/// shows (SPEC §10: a layer's `start` is `"YYYY-MM-DDTHH:MM:SS"` in the schedule's time zone).
///
/// Arithmetic is on the proleptic Gregorian calendar with every day 86,400 s long, so adding
/// 7 days to Monday 09:00 gives Monday 09:00 whatever daylight saving does in between; a
/// ``ScheduleZone`` turns the result into an instant.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00 on the wall clock (not an instant: no zone).
    public let localSeconds: Int64

    /// The years a wall time may name (ICU's zone rules cover 1901–2100).
    public static let years = 1970...2099

    public init(localSeconds: Int64) { self.localSeconds = localSeconds }

    /// A real date and time (`2026-02-30T…` and `24:00:00` are nil), in ``years``.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard Self.years.contains(year), (1...12).contains(month),
            (1...Self.daysInMonth(year: year, month: month)).contains(day),
            (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second)
        else { return nil }
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        localSeconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` (seconds optional); nil for anything else, including a
    /// zone suffix: a wall time names no zone.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 19 || bytes.count == 16 else { return nil }
        func number(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[start..<start + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
            let day = number(8, 2), bytes[10] == 84 || bytes[10] == 32, let hour = number(11, 2),
            bytes[13] == 58, let minute = number(14, 2)
        else { return nil }
        var second = 0
        if bytes.count == 19 {
            guard bytes[16] == 58, let parsed = number(17, 2) else { return nil }
            second = parsed
        }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// Days since 1970-01-01 of the date part (negative before it).
    public var day: Int64 { floorDivide(localSeconds, 86_400) }

    /// Seconds since midnight.
    public var secondOfDay: Int { Int(localSeconds - day * 86_400) }

    /// The day of the week.
    public var weekday: Weekday { Weekday(daysSinceEpoch: day) }

    /// Year, month and day of the date part.
    public var date: (year: Int, month: Int, day: Int) { Self.civil(daysSinceEpoch: day) }

    /// This wall time moved by `seconds` of wall clock.
    public func adding(seconds: Int64) -> LocalDateTime {
        LocalDateTime(localSeconds: localSeconds + seconds)
    }

    /// `2026-03-29T01:30:00`.
    public var description: String {
        let (year, month, day) = date
        let seconds = secondOfDay
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return
            "\(pad(year, 4))-\(pad(month))-\(pad(day))T\(pad(seconds / 3600)):\(pad(seconds / 60 % 60)):\(pad(seconds % 60))"
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        lhs.localSeconds < rhs.localSeconds
    }

    /// Days from 1970-01-01 to a civil date (H. Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count (H. Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// `value / divisor` rounded towards negative infinity (`divisor` > 0).
func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
    let quotient = value / divisor
    return value % divisor < 0 ? quotient - 1 : quotient
}

/// `value` modulo `divisor`, always in `0..<divisor` (`divisor` > 0).
func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}
