import Foundation
import HTTPServer
import Synchronization

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
        var generation: UInt64 = 0
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    /// Zero turns the cache off.
    public let timeToLive: TimeInterval
    /// Body bytes kept at most; when a new entry would pass it, the cache starts over.
    public let maxBytes: Int
    private let state = Mutex(State())

    public init(timeToLive: TimeInterval, maxBytes: Int = 32 << 20) {
        self.timeToLive = timeToLive
        self.maxBytes = maxBytes
    }

    public var isEnabled: Bool { timeToLive > 0 }

    /// The stored answer for `key`, if still current.
    func hit(for key: String, now: Date) -> Hit? {
        guard isEnabled else { return nil }
        return state.withLock { state in
            guard let entry = state.entries[key], entry.generation == state.generation, now < entry.validUntil
            else { return nil }
            return entry.hit
        }
    }

    /// The generation to tag a render with; read before the handler runs.
    func generationForRender() -> UInt64 {
        state.withLock { $0.generation }
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
        state.withLock { state in
            guard generation == state.generation else { return }
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
        state.withLock { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
            state.bytes = 0
        }
    }
}
