/// Turns a request into a response. The server's only view of the application.
///
/// `respond(to:)` never throws: errors are already rendered (the `Router` does that through
/// its error renderer). It is called on an event-loop thread or a worker thread, as
/// `execution(for:)` says, so implementations must be thread-safe.
public protocol HTTPResponder: Sendable {
    /// Where `respond(to:)` must run for this request. Called on the event-loop thread,
    /// so it must be cheap and must not block.
    func execution(for request: HTTPRequest) -> HandlerExecution

    /// Produces the response for a fully received request.
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// An answer available at once, from memory, or nil to go on with `execution(for:)` and
    /// `respond(to:)`. Called on the event-loop thread before anything else, so it must be
    /// cheap and must not block: it exists so a cache hit skips the hop to a worker.
    func immediateResponse(to request: HTTPRequest) -> HTTPResponse?
}

extension HTTPResponder {
    public func immediateResponse(to request: HTTPRequest) -> HTTPResponse? { nil }
}
