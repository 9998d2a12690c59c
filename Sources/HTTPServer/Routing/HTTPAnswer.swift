/// What a responder makes of a request on the event loop: the answer itself, or the work that
/// produces it on a worker thread (see docs/ARCHITECTURE.md, "Execution model").
public enum HTTPAnswer: Sendable {
    /// Answered on the event loop, inline: from memory, never blocking.
    case now(HTTPResponse)
    /// Produced on the bounded worker pool (anything that may block: libpq, files, sleeps);
    /// the response is handed back to the connection's loop. A response carrying a
    /// ``HTTPResponse/stream`` turns the connection into a long-lived stream: the head goes out,
    /// then whatever the stream writes through its ``HTTPStreamSink``.
    case onWorker(@Sendable () -> HTTPResponse)
}

extension HTTPAnswer {
    /// The response, running the worker part on the calling thread: for callers that are not
    /// an event loop (in-process tests, tools).
    public func response() -> HTTPResponse {
        switch self {
        case .now(let response): response
        case .onWorker(let work): work()
        }
    }
}
