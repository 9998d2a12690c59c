import Dispatch
import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `IncidentRepository.escalateOverdue`: overdue, unacknowledged, open incidents are marked and
/// escalated exactly once, also with several claimers at once (SPEC §3, §7).
@Suite struct IncidentSLARepositoryTests {
    @Test func onlyOverdueUnacknowledgedOpenIncidentsAreEscalatedAndOnlyOnce() throws {
        let fixture = try IncidentRepositoryFixture()
        defer { fixture.close() }
        let now = IncidentRepositoryFixture.now()
        let hourAgo = now.addingTimeInterval(-3600)
        let overdue = try fixture.create(title: "Overdue", severity: "SEV1", detectedAt: hourAgo, now: now)
        let acknowledged = try fixture.create(title: "Acked", severity: "SEV1", detectedAt: hourAgo, now: now)
        _ = try fixture.transaction {
            try $0.acknowledge(
                id: acknowledged.id, actor: "bob", note: nil, now: hourAgo.addingTimeInterval(60))
        }
        let resolved = try fixture.create(title: "Resolved", severity: "SEV1", detectedAt: hourAgo, now: now)
        _ = try fixture.transaction {
            try $0.resolve(
                id: resolved.id, actor: "bob", resolution: nil, now: hourAgo.addingTimeInterval(60))
        }
        let notYetDue = try fixture.create(title: "SEV4", severity: "SEV4", detectedAt: hourAgo, now: now)
        let escalated = try fixture.transaction { try $0.escalateOverdue(now: now) }
        #expect(escalated.map(\.id) == [overdue.id])
        #expect(escalated.first?.slaBreached == true)
        #expect(try fixture.transaction { try $0.escalateOverdue(now: now.addingTimeInterval(60)) }.isEmpty)
        let entries = try fixture.timeline(overdue.id).filter { $0.kind == .escalated }
        #expect(entries.count == 1 && entries.first?.actor == TimelineEntry.systemActor)
        #expect(entries.first?.data["severity"] == "SEV1")
        #expect(try fixture.incident(notYetDue.id)?.slaBreached == false)
    }

    @Test func severityChangeRecomputesTheDeadlineTheJobUses() throws {
        let fixture = try IncidentRepositoryFixture()
        defer { fixture.close() }
        let now = IncidentRepositoryFixture.now()
        let incident = try fixture.create(
            severity: "SEV4", detectedAt: now.addingTimeInterval(-3600), now: now)
        #expect(try fixture.transaction { try $0.escalateOverdue(now: now) }.isEmpty)
        let patch = try IncidentPatch.validate(
            title: nil, severity: "P0", summary: nil, impact: nil, commander: nil)
        let changed = try fixture.transaction {
            try $0.update(id: incident.id, patch: patch, actor: "bob", policy: fixture.policy, now: now)
        }
        #expect(changed.incident.ackDueAt == now.addingTimeInterval(-3600 + 15 * 60))
        #expect(try fixture.transaction { try $0.escalateOverdue(now: now) }.map(\.id) == [incident.id])
    }

    @Test func concurrentClaimersEscalateEachIncidentExactlyOnce() throws {
        let fixture = try IncidentRepositoryFixture(maxConnections: 6)
        defer { fixture.close() }
        let now = IncidentRepositoryFixture.now()
        let count = 60
        for index in 0..<count {
            _ = try fixture.create(
                title: "Overdue \(index)", severity: "SEV1", detectedAt: now.addingTimeInterval(-3600),
                now: now)
        }
        let claimed = IncidentTestBox<[Int64]>([])
        let failures = IncidentTestBox<[String]>([])
        // Three claimers in small batches, racing over the same rows until none is left.
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            do {
                while true {
                    let batch = try fixture.transaction { try $0.escalateOverdue(now: now, limit: 7) }
                    if batch.isEmpty { break }
                    claimed.mutate { $0 += batch.map(\.id) }
                }
            } catch {
                failures.mutate { $0.append("\(error)") }
            }
        }
        #expect(failures.value.isEmpty)
        #expect(claimed.value.count == count && Set(claimed.value).count == count)
        #expect(
            try fixture.count("SELECT count(*) AS n FROM timeline_entries WHERE kind = 'escalated'")
                == Int64(count))
        #expect(
            try fixture.count(
                "SELECT count(*) AS n FROM (SELECT incident_id FROM timeline_entries WHERE kind = 'escalated' GROUP BY incident_id HAVING count(*) > 1) d"
            ) == 0)
    }
}
