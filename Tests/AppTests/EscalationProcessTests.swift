import API
import App
import Foundation
import Notifications
import Postgres
import Repositories
import TestSupport
import Testing

/// SPEC §11 durability and sharing (issue 16), with real `incidentd serve` processes on one
/// test database: timers live in rows, so a process killed with SIGKILL between two steps loses
/// none (the next process pages the next step once), and three processes page every
/// (incident, step, loop, user, contact method) exactly once. The children send nothing (no
/// transport is wired into `serve` here); this test process runs a delivery worker on the same
/// database that sends their pages to a real loopback receiver, which counts them.
@Suite(.serialized) struct EscalationProcessTests {
    /// The page rows of the database: one per (incident, step, loop, user, contact method).
    struct PageRow: Hashable {
        let incident: Int64
        let step: Int
        let loop: Int
        let user: Int64
        let method: Int64
        let createdAt: Date
        let dueAt: Date
    }

    static func pageRows(_ pool: PostgresPool) throws -> [PageRow] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT d.page_incident_id, d.page_step, d.page_loop, d.page_user_id, d.contact_method_id, d.created_at,
                       (e.data ->> 'due_at')::timestamptz AS due_at
                FROM deliveries d JOIN events e ON e.id = d.event_id
                WHERE d.contact_method_id IS NOT NULL ORDER BY d.id
                """
            ).map {
                PageRow(
                    incident: try $0.decode("page_incident_id"), step: try $0.decode("page_step"),
                    loop: try $0.decode("page_loop"), user: try $0.decode("page_user_id"),
                    method: try $0.decode("contact_method_id"), createdAt: try $0.decode("created_at"),
                    dueAt: try $0.decode("due_at"))
            }
        }
    }

    /// A delivery worker in this process, sending the children's pages to the receiver.
    static func sender(_ database: PostgresTestDatabase, _ pool: PostgresPool) throws -> DeliveryWorker {
        var settings = DeliveryWorker.Settings()
        settings.senders = 2
        let worker = DeliveryWorker(
            pool: pool, conninfo: database.conninfo, transport: try ReceiverTransport(), settings: settings,
            metrics: DeliveryMetrics())
        worker.start()
        return worker
    }

    @Test func aProcessKilledBetweenStepsLosesNoneTheNextProcessPagesTheNextStepOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 4)
        defer { pool.close() }
        let key = try EscalationServer.makeKey(pool, role: .admin)
        let receiver = try PageReceiver()
        let sender = try Self.sender(database, pool)
        defer { sender.stop() }

        let first = try IncidentdProcess(conninfo: database.conninfo)
        _ = try EscalationSetup(
            port: first.port, key: key, receiver: receiver, steps: 3, delay: 3, services: ["checkout"])
        try EscalationSetup.criticalAlert(port: first.port, key: key, service: "checkout", dedupKey: "down")
        #expect(try waitFor(5) { try Self.pageRows(pool).count == 1 }, "step 1 paged by the first process")
        first.kill9()
        // Step 2 falls due (3 s after step 1) while no process runs.
        Thread.sleep(forTimeInterval: 4)
        #expect(try Self.pageRows(pool).count == 1)
        let restarted = Date()
        let second = try IncidentdProcess(conninfo: database.conninfo)
        let started = Date()
        #expect(try waitFor(15) { try receiver.pages().count == 3 }, "steps 2 and 3 paged after the restart")
        let rows = try Self.pageRows(pool)
        #expect(rows.map(\.step) == [1, 2, 3], "each step once")
        #expect(
            Set(rows.map { [$0.incident, Int64($0.step), Int64($0.loop), $0.user, $0.method] }).count == 3)
        // Step 2 was overdue: fired as soon as the new process looked (its start, plus at most a poll).
        let stepTwo = try #require(rows.first { $0.step == 2 })
        #expect(stepTwo.createdAt >= restarted && stepTwo.createdAt.timeIntervalSince(started) < 1.5)
        // Step 3 on time again: its delay counts from step 2's page.
        let stepThree = try #require(rows.first { $0.step == 3 })
        #expect(stepThree.createdAt.timeIntervalSince(stepThree.dueAt) < 1.5)
        let pages = try receiver.pages()
        #expect(pages.map(\.step) == [1, 2, 3])
        #expect(Set(pages.compactMap(\.deliveryID)).count == 3, "no page received twice")
        #expect(second.log.contains(#""event":"escalation_step_paged""#))
    }

    @Test func threeProcessesPageEveryStepOfTwentyIncidentsExactlyOnce() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 4)
        defer { pool.close() }
        let key = try EscalationServer.makeKey(pool, role: .admin)
        let receiver = try PageReceiver()
        let processes = try (0..<3).map { _ in try IncidentdProcess(conninfo: database.conninfo) }
        let setup = try EscalationSetup(
            port: processes[0].port, key: key, receiver: receiver, steps: 3, delay: 1, services: ["checkout"])
        let sender = try Self.sender(database, pool)
        defer { sender.stop() }
        // Twenty SEV1 incidents declared through the three processes in turn.
        for number in 0..<20 {
            try HTTPCall.ok(
                port: processes[number % 3].port, "POST", "/api/v1/incidents",
                json: #"{"title":"Outage \#(number)","severity":"SEV1","services":["checkout"]}"#, key: key)
        }
        let exhausted = try waitFor(30) {
            try pool.withConnection { connection in
                try connection.query(
                    "SELECT count(*)::int8 AS n FROM incident_escalations WHERE state = 'exhausted'"
                )[0].decode("n", as: Int64.self) == 20
            }
        }
        #expect(exhausted, "every escalation ran its three steps")
        let rows = try Self.pageRows(pool)
        #expect(rows.count == 60)
        let keys = Dictionary(grouping: rows) {
            [$0.incident, Int64($0.step), Int64($0.loop), $0.user, $0.method]
        }
        #expect(keys.count == 60 && keys.values.allSatisfy { $0.count == 1 })
        for incident in Set(rows.map(\.incident)) {
            #expect(rows.filter { $0.incident == incident }.map(\.step).sorted() == [1, 2, 3])
        }
        #expect(Set(rows.map(\.user)) == Set(setup.people))
        // Each step was fired by exactly one process, and the work was shared.
        let fired = processes.map { process in
            process.log.split(separator: "\n").filter { $0.contains(#""event":"escalation_step_paged""#) }
                .count
        }
        #expect(fired.reduce(0, +) == 60, "steps fired per process: \(fired)")
        #expect(try waitFor(15) { try receiver.pages().count >= 60 })
        Thread.sleep(forTimeInterval: 0.5)
        let pages = try receiver.pages()
        #expect(pages.count == 60)
        #expect(Set(pages.compactMap(\.deliveryID)).count == 60, "each page received once")
        let lateness = rows.map { $0.createdAt.timeIntervalSince($0.dueAt) }
        #expect(lateness.allSatisfy { $0 < 1.5 }, "worst: \(lateness.max() ?? 0) s")
        for process in processes { process.kill9() }
    }
}
