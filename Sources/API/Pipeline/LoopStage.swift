import Foundation
import HTTPServer

/// A stage that runs on the event loop, before any worker is involved: it must never block
/// (memory only). It answers the request, or fills in `call` and lets the next stage go on.
protocol LoopStage: Sendable {
    func answer(_ call: inout LoopCall) -> HTTPResponse?
}

/// What the loop stages know about a matched request.
struct LoopCall: Sendable {
    let request: HTTPRequest
    let route: APIRoute
    let environment: APIEnvironment
    let now: Date
    /// The `Authorization` token, when one was sent and well-formed.
    var token: String?
    /// The caller as the credential cache knows it (nil: ask the database on the worker).
    var knownPrincipal: Principal?
}
