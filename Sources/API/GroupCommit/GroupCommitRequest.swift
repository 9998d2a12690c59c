import Foundation
import HTTPServer

/// What a route's group-commit handler gets: the request and its caller, already checked from
/// the credential cache, and no connection (``GroupCommitter`` borrows one per batch).
public struct GroupCommitRequest: Sendable {
    public let request: HTTPRequest
    public let principal: Principal
    public let environment: APIEnvironment
    /// One clock reading, as ``RequestContext/now``.
    public let now: Date
}
