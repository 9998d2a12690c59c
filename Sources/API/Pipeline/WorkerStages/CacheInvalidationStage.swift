import HTTPServer

/// After a write's COMMIT, before its answer goes out, this process's readers see it
/// (ADR 0003): the response cache is dropped, and for routes that change what a key may do,
/// the credential cache. Also after a failure: cheap, and a rolled-back write changed nothing.
struct CacheInvalidationStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard call.route.isMutating else { return try next(call) }
        defer {
            call.environment.responses.invalidateAll()
            if call.route.changesCredentials { call.environment.credentials.invalidateAll() }
        }
        return try next(call)
    }
}
