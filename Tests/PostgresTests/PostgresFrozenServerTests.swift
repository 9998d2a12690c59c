import Foundation
import Postgres
import TestSupport
import Testing

/// A server that hangs without closing its connections (every process SIGSTOPped, as a network
/// partition looks to a client): each wait ends at its deadline, and service resumes once the
/// server does. On a cluster of the test's own.
@Suite(.serialized) struct PostgresFrozenServerTests {
    @Test func waitsEndAtTheDeadlineWhileTheServerIsStoppedAndServiceResumesAfter() throws {
        let cluster = try PostgresTestCluster.start()
        defer {
            do { try cluster.shutdown() } catch { Issue.record("cleanup: \(error)") }
        }
        let database = try cluster.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2, acquireTimeout: .seconds(30))
        defer { pool.close() }
        #expect(try pool.withConnection { try $0.query("SELECT 1 AS one").count } == 1)

        let frozen = try cluster.freeze()
        var thawed = false
        defer { if !thawed { cluster.thaw(frozen) } }
        // An idle pooled connection looks healthy (nothing to read): its statement is cut.
        Self.expectCut("pooled statement") { try pool.withConnection { _ = try $0.query("SELECT 1") } }
        // A new connection: the kernel accepts it, the stopped postmaster never answers.
        Self.expectCut("new connection") { _ = try database.connect() }
        // Both pool slots are free again (the cut connections were dropped): the next borrower
        // opens a new one, which is cut the same way, not queued behind a hung one.
        Self.expectCut("pooled connect") { try pool.withConnection { _ = try $0.query("SELECT 1") } }

        cluster.thaw(frozen)
        thawed = true
        let resumed = ContinuousClock.now
        #expect(
            try PostgresDeadline.run(within: .seconds(5)) {
                try pool.withConnection { try $0.query("SELECT 1 AS one").count }
            } == 1)
        #expect(ContinuousClock.now - resumed < .seconds(5))
    }

    static func expectCut(_ what: String, _ body: () throws -> Void) {
        let deadline = Duration.milliseconds(500)
        let start = ContinuousClock.now
        let error = #expect(throws: PostgresError.self, "\(what)") {
            try PostgresDeadline.run(within: deadline, body)
        }
        let elapsed = ContinuousClock.now - start
        #expect(error?.kind == .deadlineExceeded, "\(what): \(String(describing: error))")
        #expect(elapsed < deadline + .milliseconds(700), "\(what) took \(elapsed)")
    }
}
