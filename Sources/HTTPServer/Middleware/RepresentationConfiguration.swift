/// When ``RepresentationMiddleware`` compresses.
public struct RepresentationConfiguration: Sendable {
    /// Bodies up to this many bytes are sent as they are: below about a kilobyte the gzip
    /// header and trailer (18 bytes) and the CPU eat most of the gain (SPEC §4, "~1 KiB").
    public static let defaultCompressionThreshold = 1024
    /// Level 1: on a 16 KiB page of 50 incidents it took about a third of level 6's CPU
    /// for an 18 % larger result (896 vs 757 bytes, both ~20x smaller than the JSON);
    /// polled pages are compressed often and are small either way.
    public static let defaultCompressionLevel: Int32 = 1

    /// Compress bodies strictly larger than this (bytes).
    public var compressionThreshold: Int
    /// zlib level, 1 (fastest) to 9 (smallest).
    public var compressionLevel: Int32

    public init(
        compressionThreshold: Int = defaultCompressionThreshold,
        compressionLevel: Int32 = defaultCompressionLevel
    ) {
        self.compressionThreshold = compressionThreshold
        self.compressionLevel = max(1, min(9, compressionLevel))
    }
}
