import Synchronization

/// What a write reported it changed beyond its route's declaration (an alert trigger that
/// opened or joined an incident also changed `incidents`). One per request, shared by the
/// stages, the handler's ``RequestContext`` and the group-commit path; read by
/// ``CacheInvalidationStage`` once the write is over. Only ever widens: a report from an
/// attempt that rolled back costs a cache miss, never a stale answer.
final class ResourceChanges: Sendable {
    private let bits = Atomic<UInt8>(0)

    init() {}

    /// Adds `families` to what this request changed.
    func add(_ families: ResourceFamilies) {
        bits.bitwiseOr(families.rawValue, ordering: .relaxed)
    }

    /// Everything reported so far.
    var reported: ResourceFamilies { ResourceFamilies(rawValue: bits.load(ordering: .relaxed)) }
}
