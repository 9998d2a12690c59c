import HTTPServer
import Postgres

/// Makes each request's deadline (`HTTPRequest.deadline`: the end of its head plus
/// `INCIDENTD_REQUEST_TIMEOUT`) the deadline of all the database work its handler does
/// (``PostgresDeadline``): waiting for a pooled connection, opening one, every statement. A
/// database that hangs then costs a request its deadline and a 503 with `Retry-After`, not the
/// whole outage (issue 20).
///
/// A wrapper around the router so that nothing on the way to a handler needs to pass the
/// deadline along; a pipeline stage can bind it the same way.
public struct DeadlineResponder: HTTPResponder {
    let inner: any HTTPResponder

    public init(_ inner: any HTTPResponder) {
        self.inner = inner
    }

    public func execution(for request: HTTPRequest) -> HandlerExecution {
        inner.execution(for: request)
    }

    public func immediateResponse(to request: HTTPRequest) -> HTTPResponse? {
        inner.immediateResponse(to: request)
    }

    public func respond(to request: HTTPRequest) -> HTTPResponse {
        PostgresDeadline.run(until: request.deadline) { inner.respond(to: request) }
    }
}
