/// Bounds on one request. Every wait ends by the earliest deadline that applies.
public struct HTTPClientLimits: Sendable {
    /// Seconds to resolve the host, connect and finish the TLS handshake.
    public var connectTimeout: Double
    /// Seconds any single write or read may wait for the socket (a receiver that stops
    /// answering is cut after this long).
    public var readTimeout: Double
    /// Seconds for the whole exchange, connect to last body byte.
    public var totalTimeout: Double
    /// Largest response body accepted (decoded, without chunk framing); larger is
    /// `.responseTooLarge`.
    public var maxResponseBytes: Int

    /// Largest status line plus headers (or chunked trailers) accepted: 64 KiB.
    public static let maxHeadBytes = 64 * 1024
    /// Most header lines accepted in one response.
    public static let maxHeaderCount = 100

    public init(
        connectTimeout: Double = 5, readTimeout: Double = 10, totalTimeout: Double = 10,
        maxResponseBytes: Int = 1024 * 1024
    ) {
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
        self.totalTimeout = totalTimeout
        self.maxResponseBytes = maxResponseBytes
    }
}
