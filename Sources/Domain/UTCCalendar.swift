import Foundation

/// The Gregorian calendar in UTC: SPEC §4 says timestamps are UTC, and channel names,
/// post-mortem dates and due dates are all calendar days in UTC.
enum UTCCalendar {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        // Invariant: a zero offset always makes a valid time zone.
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    /// Hour and minute of `date` in UTC as `HH:MM` (seed 003's timeline format).
    static func hourMinute(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return twoDigits(parts.hour ?? 0) + ":" + twoDigits(parts.minute ?? 0)
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
