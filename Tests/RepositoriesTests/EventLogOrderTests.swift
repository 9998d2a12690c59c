import Domain
import Foundation
import Postgres
import Repositories
import Synchronization
import TestSupport
import Testing

/// SPEC §8: readers resume by id and never miss an event, even when writers commit out of id
/// order (docs/adr/0005-event-log-order.md).
@Suite struct EventLogOrderTests {
    struct Rollback: Error {}

    /// Eight writers each take event ids and hold their transactions open for different times
    /// (so later ids often commit first, and some roll back), while a reader resumes from the last
    /// id it saw, a few events at a time. It must see exactly the committed events, each once, in
    /// the log order.
    @Test func aReaderResumingWhileEightWritersCommitOutOfOrderSeesEveryEventOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let writers = 8
        let rounds = 12
        let done = Mutex(0)
        // Ids in the order their transactions committed.
        let commitOrder = Mutex<[Int64]>([])
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let connection = try database.connect()
                    for round in 0..<rounds {
                        do {
                            let id = try connection.withTransaction { connection in
                                let id = try EventRepository(connection).append(
                                    NewEvent.channelTest(
                                        channelID: Int64(writer + 1), channelName: "w\(writer)",
                                        actor: "r\(round)"),
                                    now: Date())
                                // Writers that took their ids first wait longest: commits cross.
                                Thread.sleep(
                                    forTimeInterval: Double((writers - writer + round) % writers) * 0.004)
                                if (writer + round) % 5 == 0 { throw Rollback() }
                                return id
                            }
                            commitOrder.withLock { $0.append(id) }
                        } catch is Rollback {}
                    }
                } catch {
                    Issue.record("writer \(writer) failed: \(error)")
                }
                done.withLock { $0 += 1 }
            }
        }
        var seen: [Int64] = []
        var reads = 0
        // Other tests share the cluster, and their open transactions hold events back too: after
        // the writers finish, read until everything committed has come through.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let finished = done.withLock { $0 } == writers
            let page = try pool.withConnection {
                try EventRepository($0).list(EventListFilter(after: seen.last), limit: 7)
            }
            seen += page.events.map(\.id)
            reads += 1
            if finished, page.events.isEmpty, try count(pool) == seen.count { break }
            Thread.sleep(forTimeInterval: 0.002)
        }
        group.wait()
        let log: [Int64] = try pool.withConnection { connection in
            try connection.query("SELECT id FROM events ORDER BY xid, id").map { try $0.decode("id") }
        }
        #expect(Set(seen).count == seen.count, "no event read twice")
        #expect(seen == log, "the reader saw the whole log, in its order")
        let committed = (0..<writers).flatMap { w in (0..<rounds).filter { (w + $0) % 5 != 0 } }.count
        #expect(log.count == committed)
        // The scenario really happened: some event committed after one with a larger id.
        let committedOrder = commitOrder.withLock { $0 }
        #expect(committedOrder != committedOrder.sorted(), "commits crossed id order")
        #expect(reads > 10)
    }

    /// An event of a transaction still open is not returned, nor is any later one, until that
    /// transaction ends; then both are, the older first.
    @Test func anOpenTransactionHoldsBackEveryLaterEvent() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let slow = try database.connect()
        let event = NewEvent.channelTest(channelID: 1, channelName: "c", actor: "tests")
        try slow.simpleQuery("BEGIN")
        let early = try EventRepository(slow).append(event, now: Date())
        let late = try pool.withTransaction { try EventRepository($0).append(event, now: Date()) }
        #expect(late > early)
        let hidden = try pool.withConnection { try EventRepository($0).list(EventListFilter(), limit: 50) }
        #expect(hidden.events.isEmpty)
        try slow.simpleQuery("COMMIT")
        var shown = try pool.withConnection { try EventRepository($0).list(EventListFilter(), limit: 50) }
        let deadline = Date().addingTimeInterval(30)
        // Other tests' open transactions on the shared cluster may hold the events back a moment.
        while shown.events.count < 2, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
            shown = try pool.withConnection { try EventRepository($0).list(EventListFilter(), limit: 50) }
        }
        #expect(shown.events.map(\.id) == [early, late])
        #expect(shown.events[0].type == "test" && shown.events[0].subject.kind == "channel")
    }

    private func count(_ pool: PostgresPool) throws -> Int {
        try pool.withConnection { try $0.query("SELECT count(*)::int8 AS n FROM events")[0].decode("n") }
    }

    @Test func resumingAfterAnUnknownIDIsAValidationErrorNamingAfter() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 1)
        defer { pool.close() }
        #expect(throws: ValidationError(field: "after", message: "no event has the id 99")) {
            try pool.withConnection { try EventRepository($0).list(EventListFilter(after: 99), limit: 5) }
        }
    }
}
