import HTTPServer

/// A write runs in one transaction on the held connection (ADR 0002): committed when the rest
/// returns, rolled back when it throws; the answer goes out only after COMMIT returned OK.
struct TransactionStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard call.route.isMutating else { return try next(call) }
        return try call.heldConnection().withTransaction { _ in try next(call) }
    }
}
