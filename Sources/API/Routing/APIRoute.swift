import HTTPServer

/// One line of the route table (`Routes.swift`): method, path, who may call it, and the handler.
public final class APIRoute: Sendable {
    /// What a handler receives.
    public enum Handler: Sendable {
        /// Needs no database and no credentials (health); may run on the event loop.
        case plain(@Sendable (HTTPRequest) throws -> HTTPResponse)
        /// Needs no credentials but the environment: health checks that must answer in their
        /// own shape even when no database connection can be had.
        case environment(@Sendable (HTTPRequest, APIEnvironment) throws -> HTTPResponse)
        /// Runs with a database connection: inside one transaction for POST/PATCH/PUT/DELETE
        /// (ADR 0002), outside any for GET.
        case database(@Sendable (RequestContext) throws -> HTTPResponse)
    }

    public let method: HTTPMethod
    public let pattern: String
    public let access: Access
    public let execution: HandlerExecution
    public let handler: Handler
    /// Whether a successful call can change what a key may do (revocation): the in-memory
    /// credential cache is dropped before the answer goes out (ADR 0003).
    public let changesCredentials: Bool
    /// For a read route: the families its answer is made of; it is served from the response
    /// cache only while none of them changed (ADR 0006). Unused for writes.
    public let reads: ResourceFamilies
    /// For a write: the families every successful call may change, dropped from the response
    /// cache after it (with `audit`, which every write adds to). A handler that sometimes
    /// changes more says so (``RequestContext/changed(_:)``). Unused for reads.
    public let changes: ResourceFamilies
    /// The route's work as one statement that may share a transaction with other requests
    /// (group commit, ADR 0004); it says when this request must take the usual path (one
    /// transaction of its own) instead. Runs with no connection held.
    public let groupCommit: (@Sendable (GroupCommitRequest) throws -> GroupCommitAnswer)?

    public init(
        _ method: HTTPMethod, _ pattern: String, _ access: Access, execution: HandlerExecution = .worker,
        reads: ResourceFamilies = .all, changes: ResourceFamilies = .all, changesCredentials: Bool = false,
        writes: Bool? = nil, streams: Bool = false,
        groupCommit: (@Sendable (GroupCommitRequest) throws -> GroupCommitAnswer)? = nil, _ handler: Handler
    ) {
        self.isMutating =
            writes ?? (method == .post || method == .patch || method == .put || method == .delete)
        self.groupCommit = groupCommit
        self.streams = streams
        self.method = method
        self.pattern = pattern
        self.access = access
        self.execution = execution
        self.reads = reads
        self.changes = changes
        self.changesCredentials = changesCredentials
        self.handler = handler
    }

    /// Whether the route answers with a long-lived stream (SPEC §8 `/stream`): admitted up to the
    /// process's cap (``StreamAdmissionStage``), never cached.
    public let streams: Bool

    /// Whether this route is the read-only switch itself, the one write read-only mode lets
    /// through (SPEC §12).
    public var switchesReadOnlyMode: Bool { pattern == Routes.readOnlySwitchPattern }

    /// Whether the request changes state: such requests run in a transaction, are audited and
    /// refused in read-only mode. POST, PATCH, PUT and DELETE, unless the route says otherwise
    /// (`writes: true` for a GET that records something: a heartbeat ping, SPEC §12).
    public let isMutating: Bool
}
