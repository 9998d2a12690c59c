import HTTPServer

/// After a write's COMMIT, before its answer goes out, this process's readers see it
/// (ADR 0003, ADR 0006): the response cache drops the answers that read a family the write
/// changed — what its route declares, what its handler reported, and the audit log — and for
/// routes that change what a key may do, the credential cache is dropped. Also after a
/// failure: cheap, and whatever was reported before it stays covered (a COMMIT whose answer
/// was lost may have committed).
struct CacheInvalidationStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard call.route.isMutating else { return try next(call) }
        defer {
            call.environment.responses.invalidate(
                call.route.changes.union(call.changes.reported).union(.audit))
            if call.route.changesCredentials { call.environment.credentials.invalidateAll() }
        }
        return try next(call)
    }
}
