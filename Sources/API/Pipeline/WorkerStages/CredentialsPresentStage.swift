import HTTPServer

/// A route that needs a key refuses a request without a well-formed `Authorization` header
/// before any connection is borrowed (401, audited by ``RefusalAuditStage``), so a request
/// without a key never waits for the database.
struct CredentialsPresentStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        // The loop stage stored the token when it was well-formed; parsed again here only to
        // name the failure.
        if Gate.needsToken(call.route.access), call.token == nil,
            try Authenticator.bearerToken(call.request) == nil
        {
            throw Authenticator.Failure.missing
        }
        return try next(call)
    }
}
