import Domain
import Foundation
import Testing

/// Foundation's `TimeZone` on Linux takes its rules from ICU's copy of the tz database, built
/// into the Swift runtime, not from /usr/share/zoneinfo (docs/SCHEDULES.md). These tests prove
/// the two copies agree for the years the schedules are tested in: every clock change of
/// 2026–2027 and the offset before them, read by glibc's `zdump` and by Python's zoneinfo from
/// the system files, equal Foundation's.
@Suite struct TimeZoneDatabaseTests {
    static let zones = ["America/Chicago", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
    static let from = utc("2026-01-01T00:00:00Z")
    static let until = utc("2028-01-01T00:00:00Z")

    @Test func foundationsClockChangesOf2026And2027EqualTheSystemDatabasesAsZdumpReadsThem() throws {
        for name in Self.zones {
            let system = try Self.zdump(name)
            let before = system.last { $0.instant < Self.from }?.offset ?? 0
            let changes = system.filter { $0.instant >= Self.from && $0.instant < Self.until }
            let ours = Self.foundation(name)
            #expect(ours.offsetAtStart == before, "\(name): offset on 2026-01-01")
            #expect(ours.changes.map(\.instant) == changes.map(\.instant), "\(name): change instants")
            #expect(ours.changes.map(\.offset) == changes.map(\.offset), "\(name): offsets after each change")
            if name != "Asia/Kolkata" && name != "UTC" { #expect(changes.count == 4, "\(name)") }
        }
    }

    @Test func foundationsClockChangesEqualPythonsZoneinfoReadingTheSystemFiles() throws {
        let cases = Self.zones.map { name in
            ZoneOracle.Case(
                zone: zone(name), layers: [], overrides: [], instants: [Self.from.timeIntervalSince1970])
        }
        let answer = try ZoneOracle.run(cases, until: Self.until)
        for name in Self.zones {
            let ours = Self.foundation(name).changes.map {
                (Int64($0.instant.timeIntervalSince1970), $0.offset)
            }
            let theirs = answer.transitions[name] ?? []
            #expect(ours.map(\.0) == theirs.map(\.0), "\(name)")
            #expect(ours.map(\.1) == theirs.map(\.1), "\(name)")
        }
    }

    /// A change of offset: from `instant` on, `offset` seconds east of UTC.
    struct Change {
        let instant: Date
        let offset: Int
    }

    /// Foundation's offset on 2026-01-01 and its changes until 2028.
    static func foundation(_ name: String) -> (offsetAtStart: Int, changes: [Change]) {
        let timeZone = TimeZone(identifier: name)!  // Invariant: the list holds real zones.
        var changes: [Change] = []
        var next = timeZone.nextDaylightSavingTimeTransition(after: from)
        while let instant = next, instant < until {
            changes.append(Change(instant: instant, offset: timeZone.secondsFromGMT(for: instant)))
            next = timeZone.nextDaylightSavingTimeTransition(after: instant)
        }
        return (timeZone.secondsFromGMT(for: from), changes)
    }

    /// Every offset change glibc's `zdump -v` reads from /usr/share/zoneinfo up to 2028. Its
    /// lines come in pairs, the second a second after the first: `America/Chicago  Sun Mar  8
    /// 08:00:00 2026 UT = Sun Mar  8 03:00:00 2026 CDT isdst=1 gmtoff=-18000`.
    static func zdump(_ name: String) throws -> [Change] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zdump")
        process.arguments = ["-v", "-c", "1900,2028", name]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var readings: [Change] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count > 8, words[6] == "UT", let month = months.firstIndex(of: String(words[2])),
                let day = Int(words[3]), let year = Int(words[5]), let offsetWord = words.last,
                offsetWord.hasPrefix("gmtoff="), let offset = Int(offsetWord.dropFirst(7))
            else { continue }
            let clock = words[4].split(separator: ":").compactMap { Int($0) }
            guard clock.count == 3,
                let local = LocalDateTime(
                    year: max(year, 1970), month: month + 1, day: day, hour: clock[0], minute: clock[1],
                    second: clock[2])
            else { continue }
            // Years before 1970 only matter as "the offset before"; they are clamped, in order.
            readings.append(
                Change(instant: Date(timeIntervalSince1970: Double(local.localSeconds)), offset: offset))
        }
        var changes: [Change] = []
        for reading in readings where changes.last?.offset != reading.offset { changes.append(reading) }
        return changes
    }
}

/// ``ScheduleZone`` looks offsets up in a table of transitions it reads once from Foundation;
/// the table must answer what Foundation answers, also in zones that changed their standard
/// offset (not only daylight saving) or skipped a whole day.
@Suite struct ZoneOffsetTableTests {
    @Test(arguments: [
        "America/Chicago", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "Europe/Volgograd",
        "America/Caracas", "Pacific/Apia", "Asia/Pyongyang", "Pacific/Kiritimati", "UTC",
    ])
    func theTableAnswersWhatFoundationAnswers(name: String) {
        let rules = zone(name)
        let timeZone = TimeZone(identifier: name)!  // Invariant: the arguments are real zones.
        var instants: [Int64] = Array(stride(from: Int64(0), to: 1_900_000_000, by: 6 * 3600))
        var next = timeZone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: 0))
        while let change = next, change.timeIntervalSince1970 < 2_000_000_000 {
            let second = Int64(change.timeIntervalSince1970)
            instants += [second - 1, second, second + 1]
            next = timeZone.nextDaylightSavingTimeTransition(after: change)
        }
        var mismatches: [Int64] = []
        for second in instants {
            let ours = rules.local(at: Date(timeIntervalSince1970: Double(second))).localSeconds - second
            if ours != Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second)))) {
                mismatches.append(second)
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.prefix(5))")
    }
}
