import Foundation

extension PostgresPool {
    /// Runs `body` in a transaction on a pooled connection: commit on return, rollback on
    /// throw, and returns only after `COMMIT` succeeded.
    ///
    /// The whole body runs again (up to `maxTransactionAttempts` in all) after a serialization
    /// failure (40001) or deadlock (40P01), and after the connection broke before `COMMIT` (the
    /// server rolled back, so nothing was saved). A connection lost during `COMMIT` is not
    /// retried: the outcome is unknown. The body must therefore have no effect outside the
    /// database (ADR 0002).
    @discardableResult
    public func withTransaction<Result>(
        isolation: PostgresConnection.IsolationLevel? = nil, _ body: (PostgresConnection) throws -> Result
    ) throws -> Result {
        var attempt = 1
        while true {
            do {
                return try withConnection { connection in
                    try connection.withTransaction(isolation: isolation, body)
                }
            } catch let error as PostgresError where attempt < configuration.maxTransactionAttempts {
                guard Self.isWorthRetrying(error) else { throw error }
                logger.debug(
                    "postgres_transaction_retry",
                    [
                        "attempt": .int(attempt), "sqlstate": .string(error.sqlState ?? ""),
                        "kind": .string(error.kind.rawValue),
                    ])
                // Jitter so two transactions that collided do not collide again in lockstep.
                if error.kind == .server {
                    Thread.sleep(forTimeInterval: Double.random(in: 0.001...0.005) * Double(attempt))
                }
                attempt += 1
            }
        }
    }

    /// Whether re-running the whole transaction is safe and may succeed.
    public static func isWorthRetrying(_ error: PostgresError) -> Bool {
        if error.isRetryableTransactionFailure { return true }
        // A connection that broke before COMMIT took its transaction with it.
        return error.kind == .connectionLost
            && (error.transactionStep == .begin || error.transactionStep == .body)
    }
}
