/// Turns a request into an answer. The server's only view of the application.
///
/// `respond(to:)` runs on an event-loop thread, once per request: it must be cheap and must
/// not block. It either answers at once or hands back the work to run on a worker, which is
/// where everything that may block belongs. Errors are already rendered: it never throws.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) -> HTTPAnswer
}
