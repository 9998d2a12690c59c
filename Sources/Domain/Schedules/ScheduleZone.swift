import Foundation

/// An IANA time zone's rules, for turning wall-clock hand-offs into instants and back
/// (SPEC §10 "Wall-clock time", §14 "Schedules").
///
/// The rules come from Foundation's `TimeZone`, which on Linux reads ICU's copy of the tz
/// database compiled into the Swift runtime (docs/SCHEDULES.md says which copy and how it was
/// checked against the system's /usr/share/zoneinfo). Instants here are whole seconds: every
/// tz transition and every wall time a schedule names falls on one.
public struct ScheduleZone: Sendable, Hashable {
    /// The name as the client gave it (`America/Chicago`).
    public let identifier: String
    let timeZone: TimeZone
    /// The same rules as a lookup table, shared by every value for this zone.
    private let table: ZoneOffsetTable

    /// The zone named `identifier`: `UTC` or an `Area/Location` name the tz database knows.
    /// Nil for anything else, also for the three-letter and `GMT+8` spellings ICU accepts,
    /// which are ambiguous (`IST`) or not zones at all.
    public init?(identifier: String) {
        let allowed = identifier.utf8.allSatisfy { byte in
            (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
                || byte == 47 || byte == 95 || byte == 45 || byte == 43
        }
        guard allowed, identifier.utf8.count <= Self.maxIdentifierLength,
            identifier == "UTC" || (identifier.contains("/") && !identifier.hasPrefix("GMT")),
            let timeZone = TimeZone(identifier: identifier)
        else { return nil }
        self.identifier = identifier
        self.timeZone = timeZone
        table = ZoneOffsetTable.shared(identifier, timeZone)
    }

    public static func == (lhs: ScheduleZone, rhs: ScheduleZone) -> Bool { lhs.identifier == rhs.identifier }

    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// Longest accepted name (the longest in tzdata 2025b has 32 characters).
    public static let maxIdentifierLength = 64  // 422 beyond

    /// Coordinated Universal Time.
    public static let utc = ScheduleZone(identifier: "UTC")!  // Invariant: UTC always exists.

    /// Seconds east of UTC in force at the instant `second` (Unix seconds).
    func offset(at second: Int64) -> Int64 { table.offset(at: second) }

    /// What the wall clock shows at `instant` (fractions of a second dropped).
    public func local(at instant: Date) -> LocalDateTime {
        let second = Int64(instant.timeIntervalSince1970.rounded(.down))
        return LocalDateTime(localSeconds: second + offset(at: second))
    }

    /// The instant the wall clock shows `local`, by SPEC §10/§14: an ambiguous time (shown
    /// twice when clocks go back) is its first occurrence; a time that does not exist (skipped
    /// when clocks go forward) becomes the transition instant, the first that does exist
    /// after it (01:30 on 2026-03-29 in Europe/London → 02:00 BST = 01:00Z).
    public func instant(of local: LocalDateTime) -> Date {
        Date(timeIntervalSince1970: Double(instantSecond(of: local)))
    }

    /// ``instant(of:)`` in Unix seconds.
    func instantSecond(of local: LocalDateTime) -> Int64 {
        let wall = local.localSeconds
        // A day either side reaches past any transition near `wall` (none are a day apart).
        let earlier = offset(at: wall - 86_400)
        let here = offset(at: wall)
        let after = offset(at: wall + 86_400)
        // The usual case, one offset all around: what the loop below finds, in one lookup
        // rather than three (schedule math asks this thousands of times per answer).
        if earlier == here, here == after, offset(at: wall - here) == here { return wall - here }
        let probes = [earlier, here, after]
        var earliest: Int64?
        for candidate in probes where offset(at: wall - candidate) == candidate {
            let instant = wall - candidate
            if earliest.map({ instant < $0 }) ?? true { earliest = instant }
        }
        if let earliest { return earliest }
        // A gap: `wall` read with the offset after the transition is before it, read with the
        // offset before it is after it. The transition is the first second whose offset
        // differs from the earlier reading's.
        let instants = probes.map { wall - $0 }
        // Invariant: `probes` has three elements.
        var low = instants.min()!
        var high = instants.max()!
        let before = offset(at: low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == before { low = middle } else { high = middle }
        }
        return high
    }

    /// The tz database version of the rules in use (`2025b`).
    public static var databaseVersion: String { TimeZone.timeZoneDataVersion }
}
