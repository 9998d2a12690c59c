import HTTPServer

/// Who is calling: the credential cache's answer, else the database's on the held connection
/// (stored in the cache), then the gate. Throws ``Authenticator/Failure`` (401) or a 403
/// problem; ``RefusalAuditStage`` audits both.
struct AuthenticationStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        if call.principal == nil { call.principal = try authenticate(call) }
        return try next(call)
    }

    private func authenticate(_ call: WorkerCall) throws -> Principal {
        let access = call.route.access
        guard Gate.needsToken(access) else { return .anonymous }
        // Parsed again here only when the loop found no well-formed token: to name the failure.
        guard let token = try call.token ?? Authenticator.bearerToken(call.request) else {
            throw Authenticator.Failure.missing
        }
        let principal = try call.knownPrincipal ?? lookUp(token, call)
        guard Gate.allows(access, principal) else {
            call.principal = principal
            throw ProblemDetails(status: 403, detail: Gate.forbiddenDetail(access, principal))
        }
        return principal
    }

    private func lookUp(_ token: String, _ call: WorkerCall) throws -> Principal {
        let credentials = call.environment.credentials
        let generation = credentials.generationForLookup()
        let checked = try Gate.lookUp(
            token, access: call.route.access, connection: call.heldConnection(), now: call.environment.clock()
        )
        if let generation {
            credentials.store(
                tokenHash: KeyFormat.hash(token), principal: checked.principal,
                validUntil: checked.trustUntil,
                generation: generation)
        }
        return checked.principal
    }
}
