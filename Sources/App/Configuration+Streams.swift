extension Configuration {
    /// `INCIDENTD_STREAM_BUFFER_BYTES`, `INCIDENTD_STREAM_KEEPALIVE_MS`, `INCIDENTD_MAX_STREAMS`
    /// (docs/OPERATIONS.md, docs/STREAMING.md).
    mutating func applyStreamSettings(_ environment: [String: String]) throws(ConfigurationError) {
        if let value = environment["INCIDENTD_STREAM_BUFFER_BYTES"] {
            streamBufferBytes = try Self.int(
                value, name: "INCIDENTD_STREAM_BUFFER_BYTES", range: 4096...(64 << 20))
        }
        if let value = environment["INCIDENTD_STREAM_KEEPALIVE_MS"] {
            streamKeepAliveMilliseconds = try Self.int(
                value, name: "INCIDENTD_STREAM_KEEPALIVE_MS", range: 50...3_600_000)
        }
        if let value = environment["INCIDENTD_MAX_STREAMS"] {
            maxStreams = try Self.int(value, name: "INCIDENTD_MAX_STREAMS", range: 0...1_000_000)
        }
    }
}
