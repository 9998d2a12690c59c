import HTTPServer

/// Alert ingest from a caller the credential cache knows, without an `Idempotency-Key`, shares
/// one transaction with the triggers arriving at the same moment (ADR 0004); the route's
/// group-commit handler may send this request the usual path instead, with a handler that
/// carries what it already read. Holds no connection: the group committer borrows one per batch.
struct GroupCommitStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard let groupCommit = call.route.groupCommit, let known = call.knownPrincipal,
            Gate.allows(call.route.access, known), !call.request.headers.contains("Idempotency-Key")
        else { return try next(call) }
        call.principal = known
        let request = GroupCommitRequest(
            request: call.request, principal: known, environment: call.environment, now: call.now,
            changes: call.changes)
        switch try groupCommit(request) {
        case .answered(let response):
            return response
        case .inTransaction(let handler):
            call.handlerOverride = handler
            return try next(call)
        }
    }
}
