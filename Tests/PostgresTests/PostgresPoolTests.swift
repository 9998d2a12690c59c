import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// The pool: bounded, times out within its bound, replaces broken connections, recovers from a
/// server restart.
@Suite struct PostgresPoolTests {
    @Test func exhaustedPoolTimesOutWithinTheBound() throws {
        let timeout = Duration.milliseconds(400)
        let pool = try TestDatabase.makeFreshDatabase().makePool(maxConnections: 1, acquireTimeout: timeout)
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        let error = #expect(throws: PostgresError.self) {
            try pool.withConnection { _ in
                let start = clock.now
                defer { elapsed = clock.now - start }
                try pool.withConnection { _ in }
            }
        }
        #expect(error?.kind == .poolTimeout)
        #expect(error?.isUnavailable == true)
        #expect(elapsed >= timeout)
        #expect(elapsed < timeout + .seconds(2))
        let stats = pool.stats
        #expect(stats.timeouts == 1)
        #expect(stats.waitCount == 1)
        #expect(stats.inUse == 0)
        #expect(stats.size == 1)
    }

    @Test func waiterGetsTheConnectionWhenItIsReturned() throws {
        let pool = try TestDatabase.makeFreshDatabase().makePool(
            maxConnections: 1, acquireTimeout: .seconds(10))
        let results = Counter()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                try pool.withConnection { connection in
                    try connection.query("SELECT pg_sleep(0.05)")
                }
                results.increment()
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(results.value == 4)
        #expect(pool.stats.size == 1)
    }

    @Test func killedBackendIsReplaced() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 1)
        let victim = try pool.withConnection { $0.backendPID }
        let admin = try database.connect()
        // With a timeout, pg_terminate_backend waits until the backend is gone.
        try admin.query("SELECT pg_terminate_backend(\(Int32(victim)), 5000)")
        // The idle connection is seen dead before use; the next borrower gets a new one.
        let replacement = try pool.withConnection { connection in
            try connection.query("SELECT 1")
            return connection.backendPID
        }
        #expect(replacement != victim)
        #expect(pool.stats.brokenConnections == 1)
    }

    @Test func connectionLostMidQueryIsClassifiedWithoutSQLState() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        let admin = try database.connect()
        try connection.query("BEGIN")
        try admin.query("SELECT pg_terminate_backend(\(connection.backendPID))")
        let error = #expect(throws: PostgresError.self) { try connection.query("SELECT 1") }
        #expect(error?.kind == .connectionLost)
        #expect(error?.isUnavailable == true)
        #expect(!connection.isConnected)
    }

    @Test func statementTimeoutIsAppliedPerConnection() throws {
        let pool = try TestDatabase.makeFreshDatabase()
            .makePool(maxConnections: 1, statementTimeout: .milliseconds(100))
        let error = #expect(throws: PostgresError.self) {
            try pool.withConnection { try $0.query("SELECT pg_sleep(2)") }
        }
        #expect(error?.isQueryCanceled == true)
        let setting = try pool.withConnection { connection in
            try #require(try connection.query("SHOW statement_timeout").first).decode(0, as: String.self)
        }
        #expect(setting == "100ms")
    }

    @Test func poolRecoversAfterServerRestart() throws {
        let cluster = try PostgresTestCluster.start(migrationsDirectory: nil)
        defer {
            do { try cluster.shutdown() } catch { Issue.record("shutdown: \(error)") }
        }
        let pool = PostgresPool(
            configuration: .init(conninfo: cluster.conninfo(), maxConnections: 3, acquireTimeout: .seconds(2))
        )
        // Fill the pool with idle connections that the restart will break.
        try pool.withConnection { _ in try pool.withConnection { _ in try pool.withConnection { _ in } } }
        #expect(pool.stats.size == 3)
        let before = try pool.withConnection { $0.backendPID }

        try cluster.restart()

        // Every request after the restart succeeds, on new connections, without touching the pool.
        for _ in 0..<6 {
            let pid = try pool.withConnection { connection in
                try connection.query("SELECT 1")
                return connection.backendPID
            }
            #expect(pid != before)
        }
        #expect(pool.stats.brokenConnections >= 1)
        try pool.withTransaction { try $0.query("SELECT 1") }

        // While the server is down, requests fail fast with a connection error, then recover.
        try cluster.cluster.stop()
        let clock = ContinuousClock()
        let start = clock.now
        let outage = #expect(throws: PostgresError.self) {
            try pool.withConnection { try $0.query("SELECT 1") }
        }
        #expect(outage?.isUnavailable == true)
        #expect(clock.now - start < .seconds(2))
        try cluster.cluster.start()
        try pool.withConnection { try $0.query("SELECT 1") }
        pool.close()
    }

    @Test func closedPoolRefusesBorrowers() throws {
        let pool = try TestDatabase.makeFreshDatabase().makePool()
        try pool.withConnection { try $0.query("SELECT 1") }
        pool.close()
        let error = #expect(throws: PostgresError.self) { try pool.withConnection { _ in } }
        #expect(error?.kind == .poolClosed)
        #expect(pool.stats.size == 0)
    }

    @Test func pingMeasuresRoundTrip() throws {
        let pool = try TestDatabase.makeFreshDatabase().makePool()
        let latency = try pool.ping()
        #expect(latency > .zero)
        #expect(latency < .seconds(5))
    }
}
