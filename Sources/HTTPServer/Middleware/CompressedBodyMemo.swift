import Synchronization

/// The gzip bodies of answers that carried their own entity tag (the API's cached dashboard
/// answers), so the same page polled by many browsers is compressed once, not once per poll.
///
/// Keyed by request-target and identity tag: a strong tag names one byte sequence of one
/// resource (RFC 9110 §8.8.3), so a hit is the same bytes compressed earlier. Bounded by
/// entries and bytes; when either is full it starts over.
final class CompressedBodyMemo: Sendable {
    static let maxEntries = 256
    static let maxBytes = 8 << 20

    private struct State {
        var bodies: [String: [UInt8]] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())

    init() {}

    func body(target: String, identityTag: String) -> [UInt8]? {
        state.withLock { $0.bodies[Self.key(target, identityTag)] }
    }

    func store(_ compressed: [UInt8], target: String, identityTag: String) {
        guard compressed.count <= Self.maxBytes / 8 else { return }
        state.withLock { state in
            if state.bodies.count >= Self.maxEntries || state.bytes + compressed.count > Self.maxBytes {
                state.bodies.removeAll(keepingCapacity: true)
                state.bytes = 0
            }
            let key = Self.key(target, identityTag)
            if let old = state.bodies.updateValue(compressed, forKey: key) { state.bytes -= old.count }
            state.bytes += compressed.count
        }
    }

    private static func key(_ target: String, _ identityTag: String) -> String {
        identityTag + " " + target
    }
}
