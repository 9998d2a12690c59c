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
}
