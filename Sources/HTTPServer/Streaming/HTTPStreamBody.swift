/// A response body written over time instead of all at once: Server-Sent Events, a large
/// export. A handler returns it in ``HTTPResponse/stream``; the connection writes the head
/// (`Transfer-Encoding: chunked`, no `Content-Length`), hands a ``HTTPStreamSink`` to
/// ``start`` and from then on writes whatever the sink is given, from any thread, without
/// ever blocking its event loop.
///
/// Memory is bounded per connection: at most ``bufferLimit`` bytes wait between the writer
/// and the socket. ``HTTPStreamSink/offer(_:)`` cuts a reader that does not keep up;
/// ``HTTPStreamSink/write(_:timeout:)`` waits for room instead (a producer that can pause).
public final class HTTPStreamBody: Sendable {
    /// Bytes that may wait for a slow reader (queued in the sink plus unsent on the socket).
    public let bufferLimit: Int
    /// Sent as one chunk after this much silence (an SSE `:` comment), so proxies and clients
    /// see the connection alive; nil: none.
    public let keepAlive: KeepAlive?
    /// Called once on a worker thread after the head is queued; it may block (replaying a log,
    /// reading a database) and returns when the stream is in the hands of whatever feeds it.
    /// Not called for a HEAD request, nor when the connection is gone first.
    public let start: @Sendable (HTTPStreamSink) -> Void

    /// A comment sent after `interval` of silence.
    public struct KeepAlive: Sendable {
        public let interval: Duration
        public let bytes: [UInt8]

        public init(interval: Duration, bytes: [UInt8]) {
            self.interval = interval
            self.bytes = bytes
        }
    }

    public init(
        bufferLimit: Int, keepAlive: KeepAlive? = nil, start: @escaping @Sendable (HTTPStreamSink) -> Void
    ) {
        self.bufferLimit = max(bufferLimit, 1)
        self.keepAlive = keepAlive
        self.start = start
    }
}
