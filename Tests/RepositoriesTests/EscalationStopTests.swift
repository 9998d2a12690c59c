import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// Issue 16: what acknowledging or resolving an alert does to its incident and its
/// escalation, in the same transaction, and that a stop racing the workers' passes never
/// deadlocks and is never followed by a page.
@Suite struct EscalationStopTests {
    static let start = EscalationRepositoryTests.start

    @Test func acknowledgingAnAlertAcknowledgesItsIncidentOnceAndStopsItsEscalation() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        try fixture.policy([(60, [.init(.user, id: fixture.ana)]), (60, [.init(.user, id: fixture.ben)])])
        let alert = try fixture.criticalAlert(now: Self.start)
        let incidentID = try #require(alert.incidentID)
        try fixture.pass(at: Self.start)
        // A page still pending (never sent here) is cancelled with the acknowledgement.
        let later = Self.start.addingTimeInterval(5)
        _ = try fixture.pool.withTransaction {
            try AlertRepository($0).acknowledge(id: alert.id, actor: "ana", note: nil, now: later)
        }
        let incident = try #require(
            try fixture.pool.withConnection { try IncidentRepository($0).find(id: incidentID) })
        #expect(incident.acknowledgedAt == later && incident.acknowledgedBy == "ana")
        #expect(incident.escalation?.state == .acknowledged && incident.escalation?.nextStepAt == nil)
        #expect(try fixture.pages(incidentID).allSatisfy { $0.state == .cancelled })
        let escalation = try #require(try fixture.escalation(incidentID))
        #expect(escalation.stopReason == "\(alert.alert.ref) acknowledged" && escalation.stoppedBy == "ana")
        #expect(try fixture.pass(at: Self.start.addingTimeInterval(3600)).claimed == 0)
        let acknowledgedEntries = try fixture.timeline(incidentID).filter { $0.kind == .acknowledged }
        #expect(acknowledgedEntries.map(\.body) == ["Acknowledged with \(alert.alert.ref)"])
    }

    @Test func anIncidentAnAlertOpenedResolvesWithItsLastAlertButADeclaredOneStaysOpen() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        let first = try fixture.criticalAlert("cpu", now: Self.start)
        let second = try fixture.criticalAlert("disk", now: Self.start)
        let opened = try #require(first.incidentID)
        #expect(second.incidentID == opened)
        func resolve(_ alert: AlertRecord) throws {
            _ = try fixture.pool.withTransaction {
                try AlertRepository($0).resolve(
                    id: alert.id, actor: "alertmanager", resolution: nil, now: Self.start)
            }
        }
        try resolve(first)
        #expect(
            try fixture.pool.withConnection { try IncidentRepository($0).find(id: opened) }?.status
                == .investigating)
        try resolve(second)
        let resolved = try #require(
            try fixture.pool.withConnection { try IncidentRepository($0).find(id: opened) })
        #expect(resolved.status == .resolved && resolved.resolvedBy == "alertmanager")
        #expect(resolved.resolution == "All alerts resolved (last: \(second.alert.ref))")

        // A declared incident with an alert attached: resolving the alert leaves it open.
        let declared = try fixture.incident(severity: "SEV2", services: ["search"], now: Self.start)
        let alert = try fixture.pool.withTransaction { connection in
            let result = try AlertRepository(connection).trigger(
                try NewAlert.validate(
                    service: "search", source: "probe", summary: "slow", severity: "warning",
                    dedupKey: "slow",
                    details: nil, links: nil), serviceID: fixture.searchID, actor: "probe", now: Self.start)!
            _ = try IncidentRepository(connection).attachAlerts(
                id: declared.id, alertIDs: [result.record.id], actor: "alice", now: Self.start)
            return result.record
        }
        try resolve(alert)
        #expect(
            try fixture.pool.withConnection { try IncidentRepository($0).find(id: declared.id) }?.isOpen
                == true)
    }

    @Test func acknowledgementsRacingWorkerPassesNeverDeadlockAndNoPageFollowsThem() throws {
        let fixture = try EscalationRepositoryFixture(maxConnections: 10)
        defer { fixture.pool.close() }
        // Delay 0: every pass fires the next step of every escalation still active (40 steps
        // each, more than the passes below can fire before the acknowledgements).
        let ana = EscalationTarget(.user, id: fixture.ana)
        let ben = EscalationTarget(.user, id: fixture.ben)
        try fixture.policy([(0, [ana]), (0, [ben]), (0, [ana]), (0, [ben])], repeat: 9)
        let alerts = try (0..<24).map { number -> AlertRecord in
            try fixture.criticalAlert("k\(number)", now: Self.start)
        }
        // The alerts opened one incident (grouping): declare more to race on.
        let incidents =
            try (0..<24).map { _ in try fixture.incident(now: Self.start) }.map(\.id)
            + [try #require(alerts.first?.incidentID)]
        let failures = LockedCount()
        let stoppedAt = LockedDates()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            if worker < 2 {
                for _ in 0..<40 {
                    do { try fixture.pass(at: Self.start, limit: 5) } catch { failures.add(1) }
                }
            } else {
                for (index, id) in incidents.enumerated() where index % 2 == worker % 2 {
                    do {
                        try fixture.pool.withTransaction { connection in
                            _ = try IncidentRepository(connection).acknowledge(
                                id: id, actor: "ana", note: nil, now: Self.start)
                        }
                        stoppedAt.set(id, Date())
                    } catch {
                        failures.add(1)
                    }
                }
            }
        }
        #expect(failures.value == 0)
        for id in incidents {
            let state = try fixture.escalation(id)?.state
            #expect(state == .acknowledged || state == .exhausted, "INC-\(id): \(String(describing: state))")
            let after = try fixture.pages(id).filter { $0.createdAt > (stoppedAt.get(id) ?? .distantFuture) }
            #expect(after.isEmpty, "INC-\(id): pages written after its acknowledgement committed")
            #expect(try fixture.pages(id).allSatisfy { $0.state == .cancelled })
        }
    }
}

/// Instants by id, written from several threads.
final class LockedDates: @unchecked Sendable {
    private let lock = NSLock()
    private var dates: [Int64: Date] = [:]
    func set(_ id: Int64, _ date: Date) { lock.withLock { dates[id] = date } }
    func get(_ id: Int64) -> Date? { lock.withLock { dates[id] } }
}
