import Foundation
import Postgres
import Synchronization
import TestSupport
import Testing

/// Group commit against a real database: requests that queue while a batch runs share the
/// next transaction, every one learns its own rows, and a failing statement commits nothing.
@Suite struct GroupCommitterTests {
    /// A table of counters and a committer that runs one batch at a time.
    private func setUp() throws -> (PostgresTestDatabase, PostgresPool, GroupCommitter<OneStatementEach>) {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 4)
        try pool.withConnection { connection in
            _ = try connection.execute("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)")
            _ = try connection.execute("INSERT INTO counters SELECT g, 0 FROM generate_series(1, 10) g")
        }
        return (
            database, pool, GroupCommitter(pool: pool, work: OneStatementEach(), partitions: 1, maxBatch: 64)
        )
    }

    private func increment(_ id: Int) -> PostgresQuery {
        "UPDATE counters SET n = n + 1 WHERE id = \(Int64(id)) RETURNING n"
    }

    /// Waits (up to 10 s) until `condition` holds.
    private func eventually(_ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return condition()
    }

    @Test func requestsQueuedWhileABatchRunsShareTheNextCommit() throws {
        let (database, pool, committer) = try setUp()
        defer { pool.close() }
        // Holds row 1, so the first batch waits inside its transaction.
        let blocker = try database.connect()
        defer { blocker.close() }
        _ = try blocker.execute("BEGIN")
        _ = try blocker.execute("SELECT n FROM counters WHERE id = 1 FOR UPDATE")

        let outcomes = Mutex<[Int: Int]>([:])
        let group = DispatchGroup()
        func send(_ id: Int) {
            group.enter()
            Thread {
                if case .committed(let rows) = committer.run(increment(id), key: String(id)),
                    let n = try? rows.first?.decode("n", as: Int.self)
                {
                    outcomes.withLock { $0[id] = n }
                }
                group.leave()
            }.start()
        }
        send(1)
        #expect(eventually { committer.stats.batches == 1 })
        for id in 2...6 { send(id) }
        #expect(eventually { committer.queuedCount == 5 })
        _ = try blocker.execute("COMMIT")
        #expect(group.wait(timeout: .now() + 10) == .success)

        #expect(outcomes.withLock { $0 } == [1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1])
        // The five that queued went in one transaction.
        #expect(committer.stats == GroupCommitStats(batches: 2, requests: 6))
        let counted = try pool.withConnection { connection in
            try connection.query("SELECT sum(n)::int8 AS total FROM counters")[0].decode(
                "total", as: Int64.self)
        }
        #expect(counted == 6)
    }

    @Test func oneFailingStatementCommitsNothingOfItsBatchAndEveryRequestHearsIt() throws {
        let (database, pool, committer) = try setUp()
        defer { pool.close() }
        let blocker = try database.connect()
        defer { blocker.close() }
        _ = try blocker.execute("BEGIN")
        _ = try blocker.execute("SELECT n FROM counters WHERE id = 1 FOR UPDATE")

        let failures = Mutex(0)
        let group = DispatchGroup()
        func send(_ query: PostgresQuery, _ key: String) {
            group.enter()
            Thread {
                if case .failed = committer.run(query, key: key) { failures.withLock { $0 += 1 } }
                group.leave()
            }.start()
        }
        send(increment(1), "1")
        #expect(eventually { committer.stats.batches == 1 })
        send(increment(2), "2")
        send("SELECT 1 / 0 AS broken", "3")
        send(increment(4), "4")
        #expect(eventually { committer.queuedCount == 3 })
        _ = try blocker.execute("COMMIT")
        #expect(group.wait(timeout: .now() + 10) == .success)

        #expect(failures.withLock { $0 } == 3)
        let rows = try pool.withConnection { connection in
            try connection.query("SELECT id, n FROM counters WHERE n > 0 ORDER BY id").map {
                try $0.decode("id", as: Int.self)
            }
        }
        // Only the first batch (alone) committed.
        #expect(rows == [1])
        // The connection that ran the failed batch is usable again.
        #expect(committer.run(increment(5), key: "5").isCommitted)
    }
}

extension GroupCommitter<OneStatementEach>.Outcome {
    fileprivate var isCommitted: Bool {
        if case .committed = self { return true }
        return false
    }
}
