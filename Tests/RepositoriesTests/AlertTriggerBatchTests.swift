import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `AlertRepository.triggerBatchStatements`: many triggers in few statements, each trigger
/// still counted, logged and audited as if it had run alone.
@Suite struct AlertTriggerBatchTests {
    private func trigger(
        _ alert: NewAlert, service: AlertRepository.TriggerService = .name("payments"),
        actor: String = "tests",
        request: String
    ) -> BatchedTrigger {
        let now = Date()
        return BatchedTrigger(
            alert: alert, service: service, actor: actor, now: now,
            audit: AuditEntry(
                occurredAt: now, actorKind: "api_key", actorID: nil, actorName: actor,
                action: "POST /api/v1/alerts",
                target: "/api/v1/alerts", remoteAddress: "127.0.0.1", requestID: request, status: 0))
    }

    /// Runs the batch in one transaction; each trigger's result, nil where it got no row.
    private func run(_ fixture: AlertRepositoryFixture, _ triggers: [BatchedTrigger]) throws
        -> (statements: Int, results: [AlertTriggerResult?])
    {
        let statements = try AlertRepository.triggerBatchStatements(triggers)
        let rows = try fixture.pool.withConnection { try $0.queryInOneTransaction(statements.map(\.query)) }
        var results = [AlertTriggerResult?](repeating: nil, count: triggers.count)
        for (statement, rows) in zip(statements, rows) {
            for row in rows {
                let member = statement.members[try row.decode("n", as: Int.self) - 1]
                results[member] = try AlertRepository.triggerResult(row, alert: triggers[member].alert)
            }
        }
        return (statements.count, results)
    }

    private func auditStatuses(_ fixture: AlertRepositoryFixture) throws -> [String: Int] {
        try fixture.pool.withConnection { connection in
            var statuses: [String: Int] = [:]
            for row in try connection.query("SELECT request_id, status FROM audit_log") {
                statuses[try row.decode("request_id")] = try row.decode("status", as: Int.self)
            }
            return statuses
        }
    }

    @Test func distinctKeysAreOneStatementAndEveryTriggerGetsItsOwnAlert() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let triggers = try ["a", "b", "c"].map { (key: String) in
            trigger(try fixture.newAlert(dedupKey: key), request: "req-\(key)")
        }
        let (statements, results) = try run(fixture, triggers)
        #expect(statements == 1)
        #expect(results.map { $0?.record.dedupKey } == ["a", "b", "c"])
        #expect(results.allSatisfy { $0?.isNew == true && $0?.record.eventCount == 1 })
        #expect(Set(results.compactMap { $0?.record.id }).count == 3)
        for result in results {
            let entries = try fixture.timeline(alertID: try #require(result).record.id)
            #expect(entries.map(\.kind) == [.alertTriggered])
        }
        #expect(try auditStatuses(fixture) == ["req-a": 201, "req-b": 201, "req-c": 201])
    }

    @Test func equalRepeatsOfOneKeyAreOneUpsertThatCountsAndLogsEachTrigger() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alert = try fixture.newAlert()
        let triggers = (1...3).map { trigger(alert, actor: "sender-\($0)", request: "req-\($0)") }
        let (statements, results) = try run(fixture, triggers)
        #expect(statements == 1)
        #expect(results.map { $0?.isNew } == [true, false, false])
        #expect(results.map { $0?.record.eventCount } == [1, 2, 3])
        let id = try #require(results[0]).record.id
        #expect(results.allSatisfy { $0?.record.id == id })
        let stored = try #require(try fixture.pool.withConnection { try AlertRepository($0).find(id: id) })
        #expect(stored.eventCount == 3)
        let entries = try fixture.timeline(alertID: id)
        #expect(entries.map(\.kind) == [.alertTriggered, .alertDeduplicated, .alertDeduplicated])
        #expect(entries.map(\.actor) == ["sender-1", "sender-2", "sender-3"])
        #expect(entries[2].body.contains("(3 events)"))
        #expect(try auditStatuses(fixture) == ["req-1": 201, "req-2": 200, "req-3": 200])

        // Onto an open alert: all of them are repeats.
        let (_, again) = try run(fixture, (4...5).map { trigger(alert, request: "req-\($0)") })
        #expect(again.map { $0?.isNew } == [false, false])
        #expect(again.map { $0?.record.eventCount } == [4, 5])
    }

    @Test func aRepeatWithOtherContentGoesIntoTheNextStatementAndCountsInOrder() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let triggers = [
            trigger(try fixture.newAlert(summary: "Disk 91%"), request: "req-1"),
            trigger(try fixture.newAlert(summary: "Disk 95%", severity: "error"), request: "req-2"),
            trigger(try fixture.newAlert(summary: "Disk 91%"), request: "req-3"),
            trigger(try fixture.newAlert(dedupKey: "other"), request: "req-4"),
        ]
        let (statements, results) = try run(fixture, triggers)
        #expect(statements == 3)
        #expect(results.map { $0?.record.eventCount } == [1, 2, 3, 1])
        #expect(
            results.map { $0?.record.summary } == [
                "Disk 91%", "Disk 95%", "Disk 91%", "Disk 91% full on db-1",
            ])
        // Raised by the second trigger, never lowered by the third.
        #expect(results.map { $0?.record.severity } == [.warning, .error, .error, .warning])
    }

    @Test func aTriggerForAMissingServiceGetsNoRowAndWritesNothing() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let triggers = [
            trigger(try fixture.newAlert(dedupKey: "a"), request: "req-1"),
            trigger(try fixture.newAlert(dedupKey: "b"), service: .name("no-such-service"), request: "req-2"),
            trigger(try fixture.newAlert(dedupKey: "c"), service: .id(fixture.serviceID), request: "req-3"),
        ]
        let (_, results) = try run(fixture, triggers)
        #expect(results.map { $0 == nil } == [false, true, false])
        let alerts: Int64 = try fixture.pool.withConnection {
            try #require(try $0.query("SELECT count(*) AS n FROM alerts").first).decode("n")
        }
        #expect(alerts == 2)
        #expect(try auditStatuses(fixture) == ["req-1": 201, "req-3": 201])
    }

    @Test func aBatchRowIsTheStoredAlertAndARepeatWithoutLinksKeepsThem() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let details: JSONValue = .object(["disk": "/var", "n": .integer(3)])
        let (_, first) = try run(fixture, [trigger(try fixture.newAlert(details: details), request: "req-1")])
        let bare = try NewAlert.validate(
            service: "payments", source: "db-1", summary: "Disk 92%", severity: "warning",
            dedupKey: "disk-full",
            details: details, links: nil)
        let (_, repeated) = try run(fixture, [trigger(bare, request: "req-2")])
        let record = try #require(repeated[0]).record
        let id = try #require(first[0]).record.id
        let stored = try #require(try fixture.pool.withConnection { try AlertRepository($0).find(id: id) })
        #expect(record == stored)
        #expect(record.links == [AlertLink(href: "https://grafana.example/d/disk", text: "Dashboard")])
    }

    @Test func aBatchLogsWhatTheSingleTriggerLogs() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alone = try fixture.newAlert(dedupKey: "alone")
        let batched = try fixture.newAlert(dedupKey: "batched")
        let aloneID = try fixture.trigger(alone).record.id
        _ = try fixture.trigger(alone)
        let (_, results) = try run(
            fixture, [trigger(batched, request: "req-1"), trigger(batched, request: "req-2")])
        let batchedID = try #require(results[0]).record.id
        func shape(_ id: Int64) throws -> [String] {
            try fixture.timeline(alertID: id).map {
                "\($0.kind.rawValue) \($0.body.replacingOccurrences(of: "ALR-\(id)", with: "ALR-x"))"
            }
        }
        #expect(try shape(batchedID) == shape(aloneID))
        #expect(try shape(aloneID).count == 2)
    }

    @Test func keysThatSwiftCallsEqualButDifferInBytesAreTwoAlertsAsInPostgreSQL() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        #expect(composed == decomposed)  // Swift compares canonically; PostgreSQL by bytes.
        let triggers = [
            trigger(try fixture.newAlert(dedupKey: composed), request: "req-1"),
            trigger(try fixture.newAlert(dedupKey: decomposed), request: "req-2"),
        ]
        let (_, results) = try run(fixture, triggers)
        #expect(results.map { $0?.isNew } == [true, true])
        #expect(results.map { $0?.record.eventCount } == [1, 1])
        #expect(Array(try #require(results[1]).record.dedupKey.utf8) == Array(decomposed.utf8))
        // The usual path agrees: a single trigger of the decomposed key finds its own alert.
        let alone = try fixture.trigger(try fixture.newAlert(dedupKey: decomposed))
        #expect(!alone.isNew && alone.record.id == results[1]?.record.id && alone.record.eventCount == 2)
    }
}
