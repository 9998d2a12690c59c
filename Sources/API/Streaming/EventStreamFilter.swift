import Domain
import Repositories

/// What a stream's reader asked for (SPEC §8: the filters of `/events`), applied in memory to
/// the events the hub reads once for every stream of the process.
struct EventStreamFilter: Sendable, Hashable {
    /// Types, `family.*` or `*`; empty: every event.
    var types: [String]
    /// Only events concerning this service; nil: any.
    var serviceID: Int64?

    /// The same rule as the log reader's SQL (`EventRepository.list`) and channels' filters.
    func matches(type: String, serviceIDs: [Int64]) -> Bool {
        if let serviceID, !serviceIDs.contains(serviceID) { return false }
        guard !types.isEmpty else { return true }
        let family = type.split(separator: ".", maxSplits: 1).first.map { "\($0).*" } ?? type
        return types.contains { $0 == type || $0 == family || $0 == "*" }
    }
}
