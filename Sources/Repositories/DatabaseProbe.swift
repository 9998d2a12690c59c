import Foundation
import Postgres

/// The health routes' question to the database: does it answer, within a deadline that holds
/// whatever the server does (a hung PostgreSQL costs the deadline, not a hang)?
public enum DatabaseProbe {
    /// Why the database did not answer: `summary` is safe for an open route (no host, port or
    /// socket path); `detail` is libpq's own message, for the log.
    public struct Failure: Error, Sendable {
        public let summary: String
        public let detail: String
    }

    /// Runs `SELECT 1` on a pooled connection, then `then` (further checks that may ask the
    /// database, such as pending migrations), all within `deadline`. A database error becomes
    /// a ``Failure``; anything else `then` throws is rethrown.
    public static func check<Result>(
        pool: PostgresPool, within deadline: Duration, then: () throws -> Result
    ) throws -> Result {
        do {
            return try PostgresDeadline.run(within: deadline) {
                try pool.withConnection { _ = try $0.query("SELECT 1 AS ok") }
                return try then()
            }
        } catch let error as PostgresError {
            throw Failure(summary: error.publicSummary, detail: error.description)
        }
    }
}
