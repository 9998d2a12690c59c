import HTTPServer

/// SPEC §5: every refusal is audited — a missing, malformed or unknown key (401, also counted
/// against the address's failure budget; 429 instead while the address is over it), a caller
/// the gate refused (403), and a handler's own 401/403 (a routing key naming another service;
/// its work rolled back). It sits outside the connection stage: the audit row borrows a
/// connection of its own.
struct RefusalAuditStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        do {
            return try next(call)
        } catch let failure as Authenticator.Failure {
            let environment = call.environment
            let address = ClientAddress.of(call.request)
            let now = environment.clock()
            if let retryAfter = environment.authFailures.retryAfter(address: address, now: now) {
                try RequestAudit.record(
                    call.request, principal: .anonymous, status: 429, environment: environment)
                throw FailureBudgetStage.throttledProblem(retryAfter: retryAfter)
            }
            environment.authFailures.recordFailure(address: address, now: now)
            try RequestAudit.record(
                call.request, principal: .anonymous, status: 401, environment: environment)
            throw ProblemDetails(
                status: 401, detail: failure.detail,
                headers: ["WWW-Authenticate": "Bearer realm=\"incidentd\""])
        } catch let problem as ProblemDetails where problem.status == 401 || problem.status == 403 {
            try RequestAudit.record(
                call.request, principal: call.principal ?? .anonymous, status: problem.status,
                environment: call.environment)
            throw problem
        }
    }
}
