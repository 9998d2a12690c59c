/// The live stream's and the export's limits (SPEC §8; docs/STREAMING.md, docs/OPERATIONS.md).
public struct StreamSettings: Sendable {
    /// Bytes that may wait for one slow stream reader before it is cut
    /// (`INCIDENTD_STREAM_BUFFER_BYTES`).
    public var bufferBytes = 256 * 1024
    /// A `:` comment after this much silence (SPEC §8: 15 s; `INCIDENTD_STREAM_KEEPALIVE_MS`).
    public var keepAlive: Duration = .seconds(15)
    /// Streams one process holds at most; more are answered 503 (`INCIDENTD_MAX_STREAMS`).
    public var maxStreams = 8_000
    /// Recent events kept in memory, so a reconnecting reader resumes without a query.
    public var recentEvents = 2_048
    /// How long a replay or an export waits for its reader to make room before giving up.
    public var writeTimeout: Duration = .seconds(30)
    /// Exports one process runs at once (each holds a worker thread and a connection).
    public var maxExports = 2

    public init() {}
}
