import Foundation
import Synchronization

/// A zone's UTC offsets as a table of transitions, read once per process from Foundation's
/// `TimeZone` (ICU) and then looked up by binary search: schedule math asks for offsets
/// thousands of times per answer, and each ICU call takes a lock and a calendar computation.
///
/// The table holds every offset change `TimeZone.nextDaylightSavingTimeTransition` reports
/// between 1901 and 2100 (ICU reports every change of the UTC offset, standard-time changes
/// included: `ZoneOffsetTableTests` checks zones that changed their standard offset). Outside
/// those years the lookup asks `TimeZone` directly.
final class ZoneOffsetTable: Sendable {
    /// Instants (Unix seconds) at which the offset changes, ascending.
    let transitions: [Int64]
    /// The offset from `transitions[i]` on.
    let offsets: [Int64]
    /// The offset before the first transition.
    let initialOffset: Int64
    let timeZone: TimeZone

    /// The span the table covers: ICU's zone rules end in 2100 (swift-foundation clamps there).
    static let coveredSeconds: ClosedRange<Int64> = -2_177_452_800...4_102_444_800  // 1901-01-01 … 2100-01-01

    private init(_ timeZone: TimeZone) {
        self.timeZone = timeZone
        let first = Date(timeIntervalSince1970: Double(Self.coveredSeconds.lowerBound))
        let last = Date(timeIntervalSince1970: Double(Self.coveredSeconds.upperBound))
        initialOffset = Int64(timeZone.secondsFromGMT(for: first))
        var transitions: [Int64] = []
        var offsets: [Int64] = []
        var next = timeZone.nextDaylightSavingTimeTransition(after: first)
        while let instant = next, instant <= last {
            transitions.append(Int64(instant.timeIntervalSince1970.rounded(.down)))
            offsets.append(Int64(timeZone.secondsFromGMT(for: instant)))
            next = timeZone.nextDaylightSavingTimeTransition(after: instant)
        }
        self.transitions = transitions
        self.offsets = offsets
    }

    /// The offset in force at `second`.
    func offset(at second: Int64) -> Int64 {
        guard Self.coveredSeconds.contains(second) else {
            return Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second))))
        }
        // The last transition at or before `second`.
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle] <= second { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? initialOffset : offsets[low - 1]
    }

    private static let tables = Mutex<[String: ZoneOffsetTable]>([:])

    /// The table of the zone `identifier`, built on first use. The tz database bounds how many
    /// there can be.
    static func shared(_ identifier: String, _ timeZone: TimeZone) -> ZoneOffsetTable {
        if let table = tables.withLock({ $0[identifier] }) { return table }
        let built = ZoneOffsetTable(timeZone)
        return tables.withLock { tables in
            if let existing = tables[identifier] { return existing }
            tables[identifier] = built
            return built
        }
    }
}
