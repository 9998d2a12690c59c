import Foundation
import HTTPServer
import Postgres

/// Borrows one pooled connection for the rest of the request: the key is looked up on the
/// connection the handler then uses (one checkout per request, issue 5). A write whose
/// transaction rolled back in a way worth retrying (``PostgresPool/isWorthRetrying(_:)``) runs
/// again on a fresh connection, as `PostgresPool.withTransaction` would.
struct ConnectionStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        let pool = call.environment.pool
        var attempt = 1
        while true {
            do {
                return try pool.withConnection { connection in
                    call.connection = connection
                    defer { call.connection = nil }
                    return try next(call)
                }
            } catch let error as PostgresError
                where call.route.isMutating && attempt < pool.configuration.maxTransactionAttempts
                && PostgresPool.isWorthRetrying(error)
            {
                attempt += 1
                // Jitter so two transactions that collided do not collide again in lockstep.
                if error.kind == .server {
                    Thread.sleep(forTimeInterval: Double.random(in: 0.001...0.005) * Double(attempt - 1))
                }
            }
        }
    }
}
