import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// SPEC §12 suppression in the statements themselves, at chosen instants: the single and the batch
/// trigger statements record the window in force over the alert's service (and only its
/// services); repeats hold back, keep or end a hold; the end of a period hands alerts to another
/// window in force or to grouping; a trigger that committed after the end is swept.
@Suite struct MaintenanceSuppressionTests {
    /// Whole seconds, an hour from now: windows must end in the future of the real clock too.
    static let base = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 3600).rounded(.down))

    static func at(_ minutes: Double) -> Date { base.addingTimeInterval(minutes * 60) }

    /// A one-off window from minute `from` to minute `to` over `serviceIDs`, planned at minute
    /// `from - 1`.
    static func window(_ fixture: AlertRepositoryFixture, from: Double, to: Double, serviceIDs: [Int64])
        throws
        -> Int64
    {
        let window = try NewMaintenanceWindow.validate(
            description: "Window \(from)-\(to)", services: serviceIDs.map(String.init), isPublic: false,
            startsAt: at(from), endsAt: at(to), rrule: nil, timeZone: nil, durationSeconds: nil,
            now: at(from - 1))
        return try fixture.transaction {
            try MaintenanceWindowRepository($0).create(
                window, serviceIDs: serviceIDs, actor: "tests", now: at(from - 1))
        }.id
    }

    /// Runs the transition job's work at minute `minute`, as one process's pass would.
    static func pass(_ fixture: AlertRepositoryFixture, at minute: Double) throws -> [MaintenanceTransition] {
        try fixture.transaction { connection in
            let repository = MaintenanceWindowRepository(connection)
            return try repository.claimDue(now: at(minute), limit: 10).map {
                try repository.advance($0, actor: "system", policy: SLAPolicy(), now: at(minute))
            }
        }
    }

    static func group(_ fixture: AlertRepositoryFixture, _ result: AlertTriggerResult, at minute: Double)
        throws
        -> AlertTriggerResult
    {
        try fixture.transaction {
            try IncidentRepository($0).groupTriggered(
                result, actor: "tests", policy: SLAPolicy(), now: at(minute))
        }
    }

    @Test func singleAndBatchTriggersRecordTheWindowInForceOverTheirServiceOnly() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let other = try fixture.transaction { try ServiceRepository($0).findOrCreate(name: "search").id }
        let window = try Self.window(fixture, from: 0, to: 60, serviceIDs: [fixture.serviceID])
        let now = Self.at(10)
        func batched(_ alert: NewAlert, _ service: AlertRepository.TriggerService) -> BatchedTrigger {
            BatchedTrigger(
                alert: alert, service: service, actor: "tests", now: now,
                audit: AuditEntry(
                    occurredAt: now, actorKind: "api_key", actorID: nil, actorName: "tests",
                    action: "POST /api/v1/alerts", target: "/api/v1/alerts", remoteAddress: "127.0.0.1",
                    requestID: alert.dedupKey, status: 0))
        }
        let search = try NewAlert.validate(
            service: "search", source: "probe", summary: "Index stale", severity: "critical",
            dedupKey: "stale",
            details: nil, links: nil)
        let triggers = [
            batched(try fixture.newAlert(dedupKey: "by-name"), .name("payments")),
            batched(try fixture.newAlert(dedupKey: "by-id", severity: "critical"), .id(fixture.serviceID)),
            batched(search, .id(other)),
        ]
        let statements = try AlertRepository.triggerBatchStatements(triggers)
        #expect(statements.count == 1, "still one statement per batch")
        let rows = try fixture.pool.withConnection { try $0.queryInOneTransaction(statements.map(\.query)) }
        var results: [String: AlertTriggerResult] = [:]
        for row in rows[0] {
            let member = statements[0].members[try row.decode("n", as: Int.self) - 1]
            let result = try AlertRepository.triggerResult(row, alert: triggers[member].alert)
            results[result.record.dedupKey] = result
        }
        #expect(results["by-name"]?.record.suppressedBy == window)
        #expect(results["by-id"]?.record.suppressedBy == window && results["by-id"]?.needsGrouping == false)
        #expect(results["stale"]?.record.suppressedBy == nil && results["stale"]?.needsGrouping == true)
        // The single statement: held back, and grouping refuses it even when asked directly.
        let single = try fixture.trigger(
            try fixture.newAlert(dedupKey: "single", severity: "critical"), at: now)
        #expect(single.record.suppressedBy == window && single.record.isSuppressed && !single.needsGrouping)
        let refused = try fixture.transaction {
            try IncidentRepository($0).group(single.record, actor: "tests", policy: SLAPolicy(), now: now)
        }
        #expect(refused == nil)
        // Before and after the window nothing is held back.
        #expect(
            try fixture.trigger(try fixture.newAlert(dedupKey: "early"), at: Self.at(-1)).record.suppressedBy
                == nil)
        #expect(
            try fixture.trigger(try fixture.newAlert(dedupKey: "late"), at: Self.at(60)).record.suppressedBy
                == nil)
    }

    @Test func repeatsHoldBackAnAlertOutsideIncidentsAndEndTheHoldAfterTheWindow() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        // Before the window: a warning (no incident) and a critical alert that opens one.
        _ = try fixture.trigger(try fixture.newAlert(dedupKey: "disk"), at: Self.at(-5))
        let down = try Self.group(
            fixture,
            try fixture.trigger(
                try fixture.newAlert(dedupKey: "down", severity: "critical"), at: Self.at(-5)),
            at: -5)
        let incident = try #require(down.record.incidentID)
        let window = try Self.window(fixture, from: 0, to: 30, serviceIDs: [fixture.serviceID])
        // In the window: the warning raised to critical is held back; the one in an incident stays.
        let raised = try fixture.trigger(
            try fixture.newAlert(dedupKey: "disk", severity: "critical"), at: Self.at(5))
        #expect(
            raised.record.severity == .critical && raised.record.suppressedBy == window
                && !raised.needsGrouping)
        let repeated = try fixture.trigger(
            try fixture.newAlert(dedupKey: "down", severity: "critical"), at: Self.at(5))
        #expect(repeated.record.suppressedBy == nil && repeated.record.incidentID == incident)
        // After the window, before any job ran: the next repeat ends the hold and groups it.
        let after = try fixture.trigger(
            try fixture.newAlert(dedupKey: "disk", severity: "critical"), at: Self.at(31))
        #expect(after.record.suppressedBy == window && after.record.suppressionEndedAt == Self.at(31))
        #expect(after.needsGrouping)
        let grouped = try Self.group(fixture, after, at: 31)
        #expect(grouped.record.incidentID == incident, "joins the service's open incident")
        // The job's end finds nothing left to hand on.
        let ended = try Self.pass(fixture, at: 32)
        #expect(ended.count == 1 && ended[0].started && ended[0].ended && ended[0].released.isEmpty)
    }

    @Test func theEndHandsHeldAlertsToAnotherWindowInForceThenToGrouping() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let first = try Self.window(fixture, from: 0, to: 20, serviceIDs: [fixture.serviceID])
        let held = try fixture.trigger(
            try fixture.newAlert(dedupKey: "down", severity: "critical"), at: Self.at(5))
        let warning = try fixture.trigger(try fixture.newAlert(dedupKey: "disk"), at: Self.at(5))
        #expect(held.record.suppressedBy == first && warning.record.suppressedBy == first)
        // A second window over every service, from minute 10 to 40.
        let second = try Self.window(fixture, from: 10, to: 40, serviceIDs: [])
        #expect(try Self.pass(fixture, at: 11).count == 2, "both starts")
        let firstEnd = try #require(try Self.pass(fixture, at: 20).first)
        #expect(firstEnd.ended && firstEnd.released.isEmpty && firstEnd.heldByAnother.count == 2)
        #expect(firstEnd.heldByAnother.allSatisfy { $0.suppressedBy == second && $0.isSuppressed })
        let secondEnd = try #require(try Self.pass(fixture, at: 40).first)
        #expect(
            secondEnd.window.id == second && secondEnd.released.count == 2 && secondEnd.grouped.count == 1)
        let critical = try #require(secondEnd.released.first { $0.dedupKey == "down" })
        #expect(critical.incidentID == secondEnd.grouped[0].incident.id && !critical.isSuppressed)
        #expect(secondEnd.released.first { $0.dedupKey == "disk" }?.incidentID == nil)
        let kinds = try fixture.timeline(alertID: held.record.id).map(\.kind)
        #expect(kinds == [.alertTriggered, .maintenanceEnded, .maintenanceEnded, .alertAttached])
        #expect(try Self.pass(fixture, at: 41).isEmpty, "nothing due any more")
    }

    @Test func aTriggerCommittedAfterTheEndWasHandledIsSweptByTheNextPass() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let window = try Self.window(fixture, from: 0, to: 20, serviceIDs: [fixture.serviceID])
        // A request that began inside the period writes its alert; before it commits, a job ends
        // the period on another connection and finds nothing held (the row is not committed).
        let alert = try fixture.newAlert(dedupKey: "down", severity: "critical")
        var ended: [MaintenanceTransition] = []
        let late = try fixture.transaction { connection in
            let result = try AlertRepository(connection).trigger(
                alert, serviceID: fixture.serviceID, actor: "tests", now: Self.at(19.9))
            ended = try Self.pass(fixture, at: 20)
            return result
        }
        #expect(ended.first?.ended == true && ended.first?.released.isEmpty == true)
        #expect(late?.record.suppressedBy == window && late?.record.isSuppressed == true)
        let swept = try fixture.transaction { connection in
            let repository = MaintenanceWindowRepository(connection)
            return try repository.claimRecentlyEnded(now: Self.at(20.1), limit: 10).flatMap {
                try repository.sweepLateHolds($0, actor: "system", policy: SLAPolicy(), now: Self.at(20.1))
            }
        }
        #expect(swept.count == 1 && swept[0].incidentID != nil && !swept[0].isSuppressed)
        // Long after, or with nothing held, the sweep finds nothing.
        let none = try fixture.transaction {
            try MaintenanceWindowRepository($0).claimRecentlyEnded(now: Self.at(21), limit: 10)
        }
        #expect(none.isEmpty)
    }
}
