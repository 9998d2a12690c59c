import Domain
import Foundation

/// A schedule's final shifts as iCalendar (RFC 5545): one VEVENT per shift, times in UTC,
/// `SUMMARY:On call: <name>` (SPEC §14).
struct ScheduleCalendar {
    let scheduleID: Int64
    let scheduleName: String
    /// DTSTAMP of every event: when the calendar was made.
    let stamp: Date

    func render(_ shifts: [Shift], names: [Int64: String]) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//incidentd//on-call schedules//EN",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", "X-WR-CALNAME:" + Self.escaped("On call: \(scheduleName)"),
        ]
        for shift in shifts {
            let name = names[shift.userID] ?? "user \(shift.userID)"
            lines += [
                "BEGIN:VEVENT",
                // Stable across downloads: the same shift keeps its UID, so a subscribed
                // calendar updates it instead of adding a copy.
                "UID:schedule-\(scheduleID)-\(Int64(shift.start.timeIntervalSince1970))-user-\(shift.userID)@incidentd",
                "DTSTAMP:" + Self.utc(stamp), "DTSTART:" + Self.utc(shift.start),
                "DTEND:" + Self.utc(shift.end),
                "SUMMARY:" + Self.escaped("On call: \(name)"), "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        // RFC 5545 §3.1: CRLF line ends, content lines folded at 75 octets.
        return lines.map(Self.folded).joined(separator: "\r\n") + "\r\n"
    }

    /// `20260105T150000Z` (RFC 5545 §3.3.5 form 2, UTC), seconds truncated.
    static func utc(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))\(pad(parts.tm_mon + 1))\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour))\(pad(parts.tm_min))\(pad(parts.tm_sec))Z"
    }

    /// RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n", "\r\n": result += "\\n"
            case "\r": break
            default: result.append(character)
            }
        }
        return result
    }

    /// RFC 5545 §3.1: a line longer than 75 octets continues on lines starting with a space,
    /// never splitting a UTF-8 sequence.
    static func folded(_ line: String) -> String {
        var pieces: [String] = []
        var current = ""
        var octets = 0
        for character in line {
            let size = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if octets + size > limit {
                pieces.append(current)
                current = ""
                octets = 0
            }
            current.append(character)
            octets += size
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
