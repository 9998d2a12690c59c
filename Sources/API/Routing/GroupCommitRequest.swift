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
    /// What the request changed beyond its route's declaration (ADR 0006).
    let changes: ResourceChanges

    /// As ``RequestContext/changed(_:)``: this write also changed `families`.
    public func changed(_ families: ResourceFamilies) {
        changes.add(families)
    }
}

/// What a route's group-commit handler decided.
public enum GroupCommitAnswer: Sendable {
    /// Committed with its batch: the answer.
    case answered(HTTPResponse)
    /// Nothing was written: the request takes the usual path, one transaction of its own, with
    /// this handler, which carries what the group-commit handler already decoded and validated
    /// (the body is read once).
    case inTransaction(@Sendable (RequestContext) throws -> HTTPResponse)
}
