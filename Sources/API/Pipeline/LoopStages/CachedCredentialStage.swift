import HTTPServer

/// Reads the bearer token and asks the credential cache (ADR 0003) who it is. Never answers:
/// a missing or malformed header is refused (and audited) on the worker.
struct CachedCredentialStage: LoopStage {
    func answer(_ call: inout LoopCall) -> HTTPResponse? {
        guard Gate.needsToken(call.route.access), let token = try? Authenticator.bearerToken(call.request)
        else {
            return nil
        }
        call.token = token
        call.knownPrincipal = Gate.cachedPrincipal(
            token, access: call.route.access, cache: call.environment.credentials, now: call.now)
        return nil
    }
}
