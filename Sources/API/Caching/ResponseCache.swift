import Foundation
import HTTPServer
import Synchronization
import Threads

/// Recently rendered answers of read routes whose handlers allow it (the dashboards' incident
/// list and incident page), so a poll that finds nothing changed is answered — 200 or 304 —
/// without a database round trip or a render (issue 6; ADR 0003).
///
/// An entry is served only while all of these hold:
/// - none of the ``ResourceFamilies`` its route reads has changed in this process since it was
///   rendered (every write bumps the generations of the families it changed after its COMMIT,
///   before its answer goes out, so a client sees its own writes and everyone else's made
///   through this process; ADR 0006);
/// - it is younger than `timeToLive`: the bound on how stale an answer can be after a change
///   made by *another* process sharing the database (docs/OPERATIONS.md "Scaling out");
/// - the handler's own limit has not passed (an incident's SLA state turns to `breached` at its
///   deadline without any write).
///
/// Each family has a generation counter that only grows. An entry keeps the sum of its
/// families' generations read before its handler ran (a ``Stamp``): the sum is unchanged
/// exactly when none of them moved, so a render that raced a write is never served as current.
public final class ResponseCache: Sendable {
    /// A stored answer and who may have it.
    struct Hit {
        let response: HTTPResponse
        /// The access of the route that rendered it, checked again for every caller.
        let access: Access
    }

    /// The generations of the families a render reads, taken before it ran.
    struct Stamp: Equatable {
        let families: ResourceFamilies
        let sum: UInt64
    }

    private struct Entry {
        let hit: Hit
        let stamp: Stamp
        let validUntil: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// One family's generation, bumped by every write that changed the family; outside the
    /// lock, because every write bumps one (ingest: thousands a second).
    private final class Generation: Sendable {
        let value = Atomic<UInt64>(0)
    }

    /// Zero turns the cache off.
    public let timeToLive: TimeInterval
    /// Body bytes kept at most; when a new entry would pass it, the cache starts over.
    public let maxBytes: Int
    private let state = ReadWriteLocked(State())
    /// One per family, indexed like ``ResourceFamilies/forEachIndex(_:)``.
    private let generations = (0..<ResourceFamilies.count).map { _ in Generation() }

    public init(timeToLive: TimeInterval, maxBytes: Int = 32 << 20) {
        self.timeToLive = timeToLive
        self.maxBytes = maxBytes
    }

    public var isEnabled: Bool { timeToLive > 0 }

    /// The stored answer for `key`, if still current.
    func hit(for key: String, now: Date) -> Hit? {
        guard isEnabled, let entry = state.read({ $0.entries[key] }), now < entry.validUntil,
            entry.stamp == stamp(reading: entry.stamp.families)
        else { return nil }
        return entry.hit
    }

    /// The generations of `families` now: read before a handler that reads them runs.
    func stamp(reading families: ResourceFamilies) -> Stamp {
        var sum: UInt64 = 0
        families.forEachIndex { sum &+= generations[$0].value.load(ordering: .acquiring) }
        return Stamp(families: families, sum: sum)
    }

    /// Stores a rendered answer of a route with `access`, stamped before it was rendered,
    /// valid until `limit` at most.
    func store(
        _ response: HTTPResponse, access: Access, for key: String, stamp: Stamp, renderedAt: Date,
        limit: Date?
    ) {
        guard isEnabled, response.body.count <= maxBytes / 4 else { return }
        var validUntil = renderedAt.addingTimeInterval(timeToLive)
        if let limit, limit < validUntil { validUntil = limit }
        guard renderedAt < validUntil else { return }
        state.write { state in
            // A render that raced a write of its families is not kept (it could never be
            // served: ``hit(for:now:)`` compares the stamp again).
            guard stamp == self.stamp(reading: stamp.families) else { return }
            if let old = state.entries[key] { state.bytes -= old.hit.response.body.count }
            if state.bytes + response.body.count > maxBytes {
                state.entries.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            state.entries[key] = Entry(
                hit: Hit(response: response, access: access), stamp: stamp, validUntil: validUntil)
            state.bytes += response.body.count
        }
    }

    /// Something in `families` was written and committed: every answer that read any of them
    /// stops being current. One atomic add per family, no lock: entries it outdated stay in
    /// memory until replaced or the cache starts over (`maxBytes`).
    public func invalidate(_ families: ResourceFamilies) {
        guard isEnabled else { return }
        families.forEachIndex { generations[$0].value.wrappingAdd(1, ordering: .acquiringAndReleasing) }
    }

    /// Every answer stops being current (a change whose families nobody described).
    public func invalidateAll() {
        invalidate(.all)
    }
}
