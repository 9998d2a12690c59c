import HTTPServer
import Repositories

/// A request that lost the race for its `Idempotency-Key` (its transaction rolled back) answers
/// with the winner's stored response, read on a connection of its own once the request's went
/// back to the pool.
struct IdempotencyRaceStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        do {
            return try next(call)
        } catch is IdempotencyStage.LostRace {
            let key = try IdempotencyStage.key(call.request) ?? ""
            let actor = IdempotencyStage.actor(call.principal ?? .anonymous)
            return try call.environment.pool.withConnection { connection in
                guard
                    let stored = try IdempotencyRepository(connection).find(
                        actor: actor, key: key, now: call.environment.clock())
                else {
                    throw ProblemDetails(
                        status: 409, detail: "A request with this Idempotency-Key is in progress.")
                }
                return try IdempotencyStage.replay(stored, for: call.request)
            }
        }
    }
}
