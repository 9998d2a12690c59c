import Foundation
import HTTPServer
import Synchronization
import Threads

/// Recently rendered answers of read routes whose handlers allow it (the dashboards' incident
/// list and incident page), so a poll that finds nothing changed is answered — 200 or 304 —
/// without a database round trip or a render (issue 6; ADR 0003).
///
/// An entry is served only while all of these hold:
/// - no mutating request has finished in this process since it was rendered (every one
///   calls ``invalidateAll()`` after its COMMIT, before its answer goes out, so a client sees
///   its own writes and everyone else's made through this process);
/// - it is younger than `timeToLive`: the bound on how stale an answer can be after a change
///   made by *another* process sharing the database (docs/OPERATIONS.md "Scaling out");
/// - the handler's own limit has not passed (an incident's SLA state turns to `breached` at its
///   deadline without any write).
///
/// Entries are tagged with the generation read before their handler ran, so a render that
/// raced a write is never stored as current.
public final class ResponseCache: Sendable {
    /// A stored answer and who may have it.
    struct Hit {
        let response: HTTPResponse
        /// The access of the route that rendered it, checked again for every caller.
        let access: Access
    }

    private struct Entry {
        let hit: Hit
        let generation: UInt64
        let validUntil: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// Zero turns the cache off.
    public let timeToLive: TimeInterval
    /// Body bytes kept at most; when a new entry would pass it, the cache starts over.
    public let maxBytes: Int
    private let state = ReadWriteLocked(State())
    /// Bumped by every invalidation; outside the lock because every mutating request bumps it
    /// (ingest: thousands a second) and most find the cache empty. An entry counts only while
    /// its generation is the current one.
    private let generation = Atomic<UInt64>(0)
    /// Whether `state` may hold entries, so an invalidation of an empty cache takes no lock.
    private let mayHoldEntries = Atomic<Bool>(false)

    public init(timeToLive: TimeInterval, maxBytes: Int = 32 << 20) {
        self.timeToLive = timeToLive
        self.maxBytes = maxBytes
    }

    public var isEnabled: Bool { timeToLive > 0 }

    /// The stored answer for `key`, if still current.
    func hit(for key: String, now: Date) -> Hit? {
        guard isEnabled else { return nil }
        let current = generation.load(ordering: .acquiring)
        return state.read { state in
            guard let entry = state.entries[key], entry.generation == current, now < entry.validUntil
            else { return nil }
            return entry.hit
        }
    }

    /// The generation to tag a render with; read before the handler runs.
    func generationForRender() -> UInt64 {
        generation.load(ordering: .acquiring)
    }

    /// Stores a rendered answer of a route with `access`, tagged with `generation`, valid until
    /// `limit` at most.
    func store(
        _ response: HTTPResponse, access: Access, for key: String, generation: UInt64, renderedAt: Date,
        limit: Date?
    ) {
        guard isEnabled, response.body.count <= maxBytes / 4 else { return }
        var validUntil = renderedAt.addingTimeInterval(timeToLive)
        if let limit, limit < validUntil { validUntil = limit }
        guard renderedAt < validUntil else { return }
        state.write { state in
            // Checked under the lock: an invalidation after this check finds the entry and
            // removes it, or bumps the generation past it.
            guard generation == self.generation.load(ordering: .acquiring) else { return }
            mayHoldEntries.store(true, ordering: .releasing)
            if let old = state.entries[key] { state.bytes -= old.hit.response.body.count }
            if state.bytes + response.body.count > maxBytes {
                state.entries.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            state.entries[key] = Entry(
                hit: Hit(response: response, access: access), generation: generation, validUntil: validUntil)
            state.bytes += response.body.count
        }
    }

    /// Forgets every entry: something was written.
    public func invalidateAll() {
        guard isEnabled else { return }
        generation.add(1, ordering: .acquiringAndReleasing)
        guard mayHoldEntries.load(ordering: .acquiring) else { return }
        state.write { state in
            mayHoldEntries.store(false, ordering: .releasing)
            state.entries.removeAll(keepingCapacity: true)
            state.bytes = 0
        }
    }
}
