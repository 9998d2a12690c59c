import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// Deadlines (`PostgresDeadline`): every wait for the server ends at the deadline in force, the
/// statement is cancelled, the connection dropped, `.deadlineExceeded` thrown, and the pool
/// carries on with new connections.
@Suite struct PostgresDeadlineTests {
    static let deadline = Duration.milliseconds(400)

    /// Runs `body` under a deadline `deadline` from now; returns the error and the time taken.
    static func timed(_ deadline: Duration = deadline, _ body: () throws -> Void) -> (
        PostgresError?, Duration
    ) {
        let start = ContinuousClock.now
        do {
            try PostgresDeadline.run(within: deadline, body)
            return (nil, ContinuousClock.now - start)
        } catch let error as PostgresError {
            return (error, ContinuousClock.now - start)
        } catch {
            Issue.record("unexpected \(error)")
            return (nil, ContinuousClock.now - start)
        }
    }

    static func expectCutAtTheDeadline(_ outcome: (PostgresError?, Duration), _ what: String) {
        #expect(outcome.0?.kind == .deadlineExceeded, "\(what): \(String(describing: outcome.0))")
        #expect(outcome.0?.isUnavailable == true, "\(what)")
        #expect(outcome.1 >= deadline - .milliseconds(20), "\(what) after \(outcome.1)")
        #expect(outcome.1 < deadline + .milliseconds(700), "\(what) after \(outcome.1)")
    }

    @Test func theEarlierDeadlineWinsWhenTheyNest() {
        let outer = ContinuousClock.now + .seconds(1)
        PostgresDeadline.run(until: outer) {
            #expect(PostgresDeadline.current == outer)
            PostgresDeadline.run(within: .seconds(60)) { #expect(PostgresDeadline.current == outer) }
            PostgresDeadline.run(within: .milliseconds(10)) { #expect(PostgresDeadline.current! < outer) }
            PostgresDeadline.run(until: nil) { #expect(PostgresDeadline.current == outer) }
        }
        #expect(PostgresDeadline.current == nil)
    }

    @Test func aSlowStatementIsCutCancelledAndItsConnectionDropped() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect(options: .init(applicationName: "deadline-cancel"))
        let outcome = Self.timed { try connection.query("SELECT pg_sleep(30)") }
        Self.expectCutAtTheDeadline(outcome, "query")
        #expect(!connection.isConnected)
        // The cancel (and the closed socket) end the backend's statement soon, not in 30 s.
        let observer = try database.connect()
        var stillRunning = 1
        for _ in 0..<50 where stillRunning > 0 {
            usleep(100_000)
            stillRunning = try #require(
                try observer.query(
                    """
                    SELECT count(*)::int AS n FROM pg_stat_activity
                    WHERE application_name = 'deadline-cancel' AND state = 'active'
                    """
                ).first
            ).decode("n", as: Int.self)
        }
        #expect(stillRunning == 0)
    }

    @Test func everyKindOfRoundTripHonoursTheDeadline() throws {
        let database = try TestDatabase.makeFreshDatabase()
        func fresh() throws -> PostgresConnection { try database.connect() }
        let first = try fresh()
        Self.expectCutAtTheDeadline(
            Self.timed { try first.withTransaction { _ = try $0.query("SELECT pg_sleep(30)") } },
            "BEGIN pipeline"
        )
        let inOne = try fresh()
        let oneRoundTrip = Self.timed { _ = try inOne.queryInOneTransaction(["SELECT pg_sleep(30)"]) }
        Self.expectCutAtTheDeadline(oneRoundTrip, "queryInOneTransaction")
        // The COMMIT was in flight: its outcome is unknown, which `.commit` says.
        #expect(oneRoundTrip.0?.transactionStep == .commit)
        let atCommit = try fresh()
        let commitPipeline = Self.timed {
            try atCommit.withTransaction { connection in
                try connection.query("SELECT 1")
                try connection.executeAtCommit("SELECT pg_sleep(30)")
            }
        }
        Self.expectCutAtTheDeadline(commitPipeline, "executeAtCommit")
        #expect(commitPipeline.0?.transactionStep == .commit)
        let simple = try fresh()
        Self.expectCutAtTheDeadline(
            Self.timed { try simple.simpleQuery("SELECT pg_sleep(30)") }, "simple query")
    }

    @Test func aDeadlineAlreadyPassedSendsNothingAndKeepsTheConnection() throws {
        let connection = try TestDatabase.makeFreshDatabase().connect()
        let error = #expect(throws: PostgresError.self) {
            try PostgresDeadline.run(until: ContinuousClock.now - .milliseconds(1)) {
                try connection.query("SELECT 1")
            }
        }
        #expect(error?.kind == .deadlineExceeded)
        #expect(connection.isReusable)
        #expect(try connection.query("SELECT 1 AS one").count == 1)
    }

    @Test func thePoolWaitsForAConnectionOnlyUntilTheDeadline() throws {
        let pool = try TestDatabase.makeFreshDatabase().makePool(
            maxConnections: 1, acquireTimeout: .seconds(10))
        defer { pool.close() }
        try pool.withConnection { _ in
            Self.expectCutAtTheDeadline(Self.timed { try pool.withConnection { _ in } }, "acquire")
        }
        // A borrower whose statement was cut leaves no broken connection behind.
        Self.expectCutAtTheDeadline(
            Self.timed { try pool.withConnection { _ = try $0.query("SELECT pg_sleep(30)") } }, "pooled query"
        )
        #expect(try pool.withConnection { try $0.query("SELECT 1 AS one").count } == 1)
        #expect(pool.stats.brokenConnections == 1)
    }
}
