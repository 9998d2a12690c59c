import Foundation
import Threads

/// The principals of keys checked against the database moments ago, so the next request with
/// the same key needs no `api_keys` round trip (issue 5 ingest, issue 6 polling; ADR 0003).
///
/// Trust comes from a listener (`CredentialChangeListener` in the App) that hears every change
/// which could make a key stop working — revocation, expiry, role, a deleted integration — as
/// a `NOTIFY` from the triggers of migration 0006, from this process or any other. Every
/// notification drops the whole cache; while the listener is not connected nothing is served
/// from it. Entries are keyed by the SHA-256 of the token (the secret itself is not kept) and
/// tagged with the generation that was current *before* their database lookup began, so a
/// lookup that raced a change can never store a stale answer.
public final class CredentialCache: Sendable {
    /// How long an entry is trusted at most: `last_used_at` is written once a minute per key by
    /// the database path, so a cached key goes back to the database that often.
    public static let maxAge: TimeInterval = 60
    /// Entries kept at most; when full, the cache starts over (keys in use come back in one lookup).
    public static let maxEntries = 10_000

    private struct Entry {
        let principal: Principal
        let validUntil: Date
        let generation: UInt64
    }

    private struct State {
        var generation: UInt64 = 0
        /// Whether changes are being heard; without it no entry is trusted.
        var isListening = false
        var entries: [[UInt8]: Entry] = [:]
    }

    private let state = ReadWriteLocked(State())

    public init() {}

    /// The principal for the token whose SHA-256 is `tokenHash`, if it was checked recently
    /// and nothing that could change the answer happened since.
    func principal(tokenHash: [UInt8], now: Date) -> Principal? {
        state.read { state in
            guard state.isListening, let entry = state.entries[tokenHash],
                entry.generation == state.generation, now < entry.validUntil
            else { return nil }
            return entry.principal
        }
    }

    /// The generation to tag a lookup with; read before the lookup starts. Nil while changes
    /// are not being heard (the lookup's answer must not be stored then).
    func generationForLookup() -> UInt64? {
        state.read { $0.isListening ? $0.generation : nil }
    }

    /// Stores what a database lookup tagged with `generation` found, unless the cache changed
    /// generation meanwhile.
    func store(tokenHash: [UInt8], principal: Principal, validUntil: Date, generation: UInt64) {
        state.write { state in
            guard state.isListening, generation == state.generation else { return }
            if state.entries.count >= Self.maxEntries { state.entries.removeAll(keepingCapacity: true) }
            state.entries[tokenHash] = Entry(
                principal: principal, validUntil: validUntil, generation: generation)
        }
    }

    /// Forgets every entry: a credential changed somewhere.
    public func invalidateAll() {
        state.write { state in
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Called by the listener: `true` once it is connected and listening, `false` when it lost
    /// its connection. Either way the old entries go, since changes may have been missed.
    public func setListening(_ listening: Bool) {
        state.write { state in
            state.isListening = listening
            state.generation &+= 1
            state.entries.removeAll(keepingCapacity: true)
        }
    }

    /// Whether entries are being trusted now (for `/metrics` and tests).
    public var isListening: Bool { state.read { $0.isListening } }
}
