import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// SPEC §3: concurrent triggers of one dedup key, each on its own connection (as from several
/// server processes), never open a second alert and lose no event.
@Suite struct AlertRepositoryConcurrencyTests {
    static let triggers = 50

    @Test func fiftyConcurrentTriggersFromSeparateConnectionsKeepOneOpenAlert() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alert = try fixture.newAlert(dedupKey: "storm")
        let serviceID = fixture.serviceID
        let connections = try (0..<Self.triggers).map { _ in try fixture.database.connect() }
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        let failures = Failures()
        for connection in connections {
            let box = ConnectionBox(connection: connection)
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                start.wait()
                do {
                    try box.connection.withTransaction { connection in
                        _ = try AlertRepository(connection).trigger(
                            alert, serviceID: serviceID, actor: "storm", now: Date())
                    }
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        // Release every thread at once so the transactions overlap.
        for _ in connections { start.signal() }
        group.wait()
        for connection in connections { connection.close() }
        #expect(failures.all.isEmpty)
        let open = try fixture.pool.withConnection {
            try AlertRepository($0).list(
                AlertListFilter(statuses: [.triggered, .acknowledged]), limit: 10, cursor: nil)
        }
        try #require(open.items.count == 1)
        #expect(open.items[0].eventCount == Self.triggers)
        let entries = try fixture.timeline(alertID: open.items[0].id)
        #expect(entries.count == Self.triggers)
        #expect(entries.filter { $0.kind == .alertTriggered }.count == 1)
    }

    /// Moves a connection into one thread (it is used by that thread only).
    final class ConnectionBox: @unchecked Sendable {
        let connection: PostgresConnection
        init(connection: PostgresConnection) { self.connection = connection }
    }

    /// Errors collected from the worker threads.
    final class Failures: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [String] = []
        func append(_ item: String) { lock.withLock { items.append(item) } }
        var all: [String] { lock.withLock { items } }
    }
}
