import HTTPServer
import Repositories

/// SPEC §5: a successful write's audit row goes out with its COMMIT, in one round trip; the
/// answer still waits for COMMIT's OK.
struct AuditAtCommitStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard call.route.isMutating else { return try next(call) }
        let response = try next(call)
        guard (200..<300).contains(response.status) else { return response }
        let entry = RequestAudit.entry(
            call.request, principal: call.principal ?? .anonymous, status: response.status, now: call.now)
        try AuditRepository(call.heldConnection()).recordAtCommit(entry)
        return response
    }
}
