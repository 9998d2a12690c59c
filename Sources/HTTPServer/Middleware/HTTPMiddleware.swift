/// A step every answer goes through once, after the responder, whichever thread produced it
/// (the event loop for answers made at once, the worker for the rest): entity tags, 304,
/// gzip, CORS. The server runs its middleware in the order given.
public protocol HTTPMiddleware: Sendable {
    func finish(_ response: inout HTTPResponse, for request: HTTPRequest)
}
