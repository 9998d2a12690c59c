import Foundation

/// Conversions between `Date` and PostgreSQL timestamps.
///
/// Parameters go out in binary (microseconds since 2000-01-01 UTC); results come back as ISO text
/// (`2024-05-01 12:30:00.123456+00`; the connection sets `DateStyle` to ISO). The offset in the
/// text is honoured, so the session's `TimeZone` does not change the instant.
public enum PostgresTimestamp {
    /// Seconds from 2000-01-01 (PostgreSQL's epoch) to 2001-01-01 (Foundation's reference date).
    static let postgresEpochToReferenceDate: Int64 = 366 * 86_400

    /// Microseconds since 2000-01-01 00:00:00 UTC, rounded to the nearest microsecond.
    public static func microseconds(from date: Date) -> Int64 {
        let seconds = date.timeIntervalSinceReferenceDate + Double(postgresEpochToReferenceDate)
        return Int64((seconds * 1_000_000).rounded())
    }

    /// The date `microseconds` after 2000-01-01 00:00:00 UTC.
    public static func date(microseconds: Int64) -> Date {
        let sinceReference = microseconds - postgresEpochToReferenceDate * 1_000_000
        return Date(timeIntervalSinceReferenceDate: Double(sinceReference) / 1_000_000)
    }

    /// Parses `timestamptz`, `timestamp` (read as UTC) or `date` (midnight UTC) in ISO output
    /// style; `infinity` maps to `.distantFuture`. Returns nil for anything else, BC dates included.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        var scanner = ByteScanner(bytes: bytes)
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }
        guard let year = scanner.number(minDigits: 4, maxDigits: 7), scanner.skip("-"),
            let month = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip("-"),
            let day = scanner.number(minDigits: 2, maxDigits: 2), (1...12).contains(month),
            (1...31).contains(day)
        else { return nil }
        var seconds = daysSinceUnixEpoch(year: year, month: month, day: day) * 86_400
        var micros: Int64 = 0
        if scanner.skip(" ") {
            guard let hour = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
                let minute = scanner.number(minDigits: 2, maxDigits: 2), scanner.skip(":"),
                let second = scanner.number(minDigits: 2, maxDigits: 2)
            else { return nil }
            seconds += hour * 3600 + minute * 60 + second
            if scanner.skip(".") {
                let start = scanner.index
                guard let fraction = scanner.number(minDigits: 1, maxDigits: 6) else { return nil }
                micros = fraction
                // ".5" is 500000 µs: scale by the digits PostgreSQL left off.
                for _ in (scanner.index - start)..<6 { micros *= 10 }
            }
            if let sign = scanner.sign() {
                guard let offsetHours = scanner.number(minDigits: 2, maxDigits: 2) else { return nil }
                var offset = offsetHours * 3600
                if scanner.skip(":") {
                    guard let offsetMinutes = scanner.number(minDigits: 2, maxDigits: 2) else { return nil }
                    offset += offsetMinutes * 60
                    if scanner.skip(":") {
                        guard let offsetSeconds = scanner.number(minDigits: 2, maxDigits: 2) else {
                            return nil
                        }
                        offset += offsetSeconds
                    }
                }
                // The text is local time at `offset`; UTC is local minus offset.
                seconds -= sign * offset
            }
        }
        guard scanner.isAtEnd else { return nil }
        let totalMicros = (seconds - 946_684_800) * 1_000_000 + micros
        return date(microseconds: totalMicros)
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysSinceUnixEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// A cursor over ASCII bytes for the timestamp parser.
private struct ByteScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    /// +1 or -1 when the next byte is a sign.
    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }

    mutating func number(minDigits: Int, maxDigits: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while index < bytes.count, count < maxDigits, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value * 10 + Int64(bytes[index] - 0x30)
            index += 1
            count += 1
        }
        return count >= minDigits ? value : nil
    }
}
