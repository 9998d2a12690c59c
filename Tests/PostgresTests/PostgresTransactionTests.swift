import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// Transactions: commit on return, rollback on throw, errors told apart, retries on 40001.
@Suite struct PostgresTransactionTests {
    let pool: PostgresPool

    init() throws {
        pool = try TestDatabase.makeFreshDatabase().makePool()
        try pool.withConnection { connection in
            try connection.simpleQuery(
                """
                CREATE TABLE widgets (
                    id    bigint PRIMARY KEY,
                    name  text   NOT NULL,
                    CONSTRAINT widgets_name_unique UNIQUE (name)
                );
                CREATE TABLE counters (id int PRIMARY KEY, value int NOT NULL);
                INSERT INTO counters VALUES (1, 0), (2, 0);
                """)
        }
    }

    struct Refused: Error {}

    func widgetCount() throws -> Int64 {
        try pool.withConnection { connection in
            try #require(try connection.query("SELECT count(*) AS n FROM widgets").first).decode("n")
        }
    }

    @Test func returningCommits() throws {
        let id = try pool.withTransaction { connection in
            try connection.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))")
            return 1
        }
        #expect(id == 1)
        #expect(try widgetCount() == 1)
    }

    @Test func throwingRollsBackAndRethrowsTheSameError() throws {
        #expect(throws: Refused.self) {
            try pool.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))")
                throw Refused()
            }
        }
        #expect(try widgetCount() == 0)
    }

    @Test func uniqueViolationIsRecognisedByConstraintName() throws {
        try pool.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))") }
        let error = #expect(throws: PostgresError.self) {
            try pool.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(2), \("bolt"))") }
        }
        #expect(error?.isUniqueViolation(constraint: "widgets_name_unique") == true)
        #expect(error?.isUniqueViolation(constraint: "widgets_pkey") == false)
        #expect(error?.table == "widgets")
        #expect(error?.transactionStep == .body)
        #expect(error?.detail?.contains("bolt") == true)
        #expect(error?.description.contains("bolt") == false)
    }

    @Test func swallowedStatementErrorMakesCommitFail() throws {
        let error = #expect(throws: PostgresError.self) {
            try pool.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))")
                do {
                    try connection.execute("INSERT INTO widgets VALUES (\(1), \("again"))")
                } catch {
                    // Deliberately swallowed: the transaction is aborted now.
                }
            }
        }
        #expect(error?.transactionStep == .commit)
        #expect(try widgetCount() == 0)
    }

    @Test func serializationFailureFromBodyIsRetried() throws {
        var attempts = 0
        try pool.withTransaction { connection in
            attempts += 1
            try connection.execute("INSERT INTO widgets VALUES (\(attempts), \("try \(attempts)"))")
            if attempts == 1 {
                throw PostgresError(.server, message: "could not serialize access", sqlState: "40001")
            }
        }
        #expect(attempts == 2)
        // Only the second attempt's row survived.
        #expect(try widgetCount() == 1)
    }

    @Test func retriesStopAfterTheConfiguredAttempts() throws {
        var attempts = 0
        let error = #expect(throws: PostgresError.self) {
            try pool.withTransaction { _ in
                attempts += 1
                throw PostgresError(.server, message: "deadlock detected", sqlState: "40P01")
            }
        }
        #expect(error?.isDeadlock == true)
        #expect(attempts == pool.configuration.maxTransactionAttempts)
    }

    @Test func realSerializationConflictIsRetriedUntilBothCommit() throws {
        // Write skew: each transaction reads both counters, then bumps a different one. Under
        // SERIALIZABLE one of them must fail with 40001 and run again.
        let bothRead = DispatchGroup()
        bothRead.enter()
        bothRead.enter()
        let attempts = Counter()
        let failures = Counter()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            var first = true
            do {
                try pool.withTransaction(isolation: .serializable) { connection in
                    attempts.increment()
                    _ = try connection.query("SELECT sum(value) FROM counters")
                    if first {
                        first = false
                        bothRead.leave()
                        bothRead.wait()
                    }
                    try connection.execute("UPDATE counters SET value = value + 1 WHERE id = \(index + 1)")
                }
            } catch {
                failures.increment()
            }
        }
        #expect(failures.value == 0)
        #expect(attempts.value == 3)
        let total = try pool.withConnection { connection in
            try #require(try connection.query("SELECT sum(value)::int8 AS total FROM counters").first)
                .decode("total", as: Int64.self)
        }
        #expect(total == 2)
    }
}
