import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `AlertRepository.trigger(_:service:...)` with the service looked up by name inside the
/// trigger statement, and the trigger path's record built without decoding the jsonb it stored.
@Suite struct AlertTriggerByServiceNameTests {
    static func trigger(
        _ fixture: AlertRepositoryFixture, _ alert: NewAlert, service: AlertRepository.TriggerService
    ) throws -> AlertTriggerResult? {
        try fixture.transaction {
            try AlertRepository($0).trigger(alert, service: service, actor: "tests", now: Date())
        }
    }

    @Test func namedServiceTriggersAndDeduplicatesWithTriggersById() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let byName = try #require(
            try Self.trigger(fixture, try fixture.newAlert(), service: .name("payments")))
        #expect(
            byName.isNew && byName.record.serviceID == fixture.serviceID
                && byName.record.service == "payments")
        let byID = try fixture.trigger(try fixture.newAlert())
        #expect(!byID.isNew && byID.record.id == byName.record.id && byID.record.eventCount == 2)
        let again = try #require(
            try Self.trigger(fixture, try fixture.newAlert(), service: .name("payments")))
        #expect(!again.isNew && again.record.eventCount == 3)
        #expect(try fixture.timeline(alertID: byName.record.id).count == 3)
    }

    @Test func unknownServiceNameWritesNothingAndReturnsNil() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let result = try Self.trigger(fixture, try fixture.newAlert(), service: .name("no-such-service"))
        #expect(result == nil)
        let count: Int64 = try fixture.pool.withConnection {
            try #require(try $0.query("SELECT count(*) AS n FROM alerts").first).decode("n")
        }
        #expect(count == 0)
    }

    @Test func triggeredRecordEqualsTheStoredAlertAndCarriesItsJSONText() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let details: JSONValue = .object([
            "disk": "/var", "n": .integer(3), "nested": .object(["x": .bool(true)]),
        ])
        let first = try fixture.trigger(try fixture.newAlert(details: details))
        // A repeat without links keeps the alert's links (the upsert's CASE), read from the row.
        let bare = try NewAlert.validate(
            service: "payments", source: "db-1", summary: "Disk 92%", severity: "warning",
            dedupKey: "disk-full",
            details: details, links: nil)
        let repeated = try #require(try Self.trigger(fixture, bare, service: .name("payments")))
        let stored = try #require(
            try fixture.pool.withConnection { try AlertRepository($0).find(id: first.record.id) })
        #expect(repeated.record == stored)
        #expect(
            repeated.record.links == [AlertLink(href: "https://grafana.example/d/disk", text: "Dashboard")])
        let json = try #require(repeated.record.storedJSON)
        #expect(try PostgresJSON(json.details).decode(as: [String: JSONValue].self) == stored.details)
        #expect(try PostgresJSON(json.links).decode(as: [AlertLink].self) == stored.links)
    }
}
