import Synchronization

/// Gzips response bodies with a small pool of reusable zlib streams (see `DeflateStream`
/// for why streams are kept).
final class GzipCompressor: Sendable {
    /// Idle streams kept for reuse, about 256 KiB each; concurrent compressions beyond this
    /// get a fresh stream that is freed afterwards.
    static let maxIdleStreams = 8

    let level: Int32
    private let idle = Mutex<[DeflateStream]>([])

    init(level: Int32) { self.level = level }

    /// `input` as one gzip member; nil only if zlib cannot allocate (the caller then sends
    /// the identity body).
    func compress(_ input: [UInt8]) -> [UInt8]? {
        guard let stream = idle.withLock({ $0.popLast() }) ?? DeflateStream(level: level) else { return nil }
        guard let output = stream.compress(input) else { return nil }
        idle.withLock { streams in
            if streams.count < Self.maxIdleStreams { streams.append(stream) }
        }
        return output
    }
}
