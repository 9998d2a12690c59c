import Dispatch
import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// SPEC §3 grouping through `IncidentRepository.groupTriggered`: critical alerts open or join
/// their service's open incident, also when they arrive at the same time.
@Suite struct IncidentGroupingRepositoryTests {
    @Test func criticalAlertOpensAnIncidentWithTheServiceSeverityAndTheNextOneJoins() throws {
        let fixture = try IncidentRepositoryFixture()
        defer { fixture.close() }
        let first = try fixture.trigger(service: "payments", dedupKey: "cpu")
        let incidentID = try #require(first.record.incidentID)
        let incident = try #require(try fixture.incident(incidentID))
        #expect(incident.severity == .sev1, "payments opens SEV1 incidents")
        #expect(incident.title == "cpu alert on payments" && incident.services == ["payments"])
        let second = try fixture.trigger(service: "payments", dedupKey: "memory")
        #expect(second.record.incidentID == incidentID)
        let searchAlert = try fixture.trigger(service: "search", dedupKey: "cpu")
        let searchIncidentID = try #require(searchAlert.record.incidentID)
        let searchIncident = try #require(try fixture.incident(searchIncidentID))
        #expect(searchIncident.id != incidentID && searchIncident.severity == .sev2, "default SEV2")
        let entries = try fixture.timeline(incidentID).filter { $0.incidentID == incidentID }
        #expect(entries.map(\.kind) == [.created, .alertAttached, .alertAttached])
        #expect(entries.first?.data["alert"] == .string("ALR-\(first.record.id)"))
    }

    @Test func lesserAlertsAndResolvedIncidentsDoNotGroup() throws {
        let fixture = try IncidentRepositoryFixture()
        defer { fixture.close() }
        let warning = try fixture.trigger(severity: "warning", dedupKey: "disk")
        #expect(warning.record.incidentID == nil)
        let critical = try fixture.trigger(dedupKey: "cpu")
        let firstIncident = try #require(critical.record.incidentID)
        let repeatTrigger = try fixture.trigger(dedupKey: "cpu")
        #expect(!repeatTrigger.isNew && repeatTrigger.record.incidentID == firstIncident)
        _ = try fixture.transaction {
            try $0.resolve(id: firstIncident, actor: "bob", resolution: nil, now: Date())
        }
        let after = try fixture.trigger(dedupKey: "cpu")
        #expect(after.isNew, "the resolve resolved the alert too, so the key opens a new alert")
        let secondIncident = try #require(after.record.incidentID)
        #expect(secondIncident != firstIncident, "a resolved incident is not joined")
        #expect(try fixture.count("SELECT count(*) AS n FROM incidents") == 2)
    }

    @Test func concurrentCriticalAlertsOfOneServiceOpenExactlyOneIncident() throws {
        let fixture = try IncidentRepositoryFixture(maxConnections: 12)
        defer { fixture.close() }
        let failures = IncidentTestBox<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            do {
                try fixture.trigger(dedupKey: "signal-\(index)")
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        #expect(failures.value.isEmpty)
        #expect(try fixture.count("SELECT count(*) AS n FROM incidents") == 1)
        #expect(try fixture.count("SELECT count(*) AS n FROM alerts WHERE incident_id IS NOT NULL") == 12)
        #expect(
            try fixture.count("SELECT count(*) AS n FROM timeline_entries WHERE kind = 'alert_attached'")
                == 12)
    }
}
