import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `GET /alerts?since=` (AlertListFilter.since): every alert whose updated_at moved at or after
/// `since` is listed, whichever statement moved it. The candidates come from the timeline
/// (migration 0008), so this fails if some change stops writing its alert's entry.
@Suite struct AlertChangeFeedTests {
    @Test func sinceListsEveryAlertChangedAfterItWhateverChangedIt() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let before = Date().addingTimeInterval(-60)
        let since = before.addingTimeInterval(30)
        let later = before.addingTimeInterval(40)
        var ids: [String: Int64] = [:]
        for key in ["repeated", "acknowledged", "resolved", "batched", "incident", "untouched"] {
            ids[key] = try fixture.trigger(try fixture.newAlert(dedupKey: key), at: before).record.id
        }
        func list() throws -> Set<Int64> {
            try fixture.pool.withConnection {
                Set(
                    try AlertRepository($0).list(AlertListFilter(since: since), limit: 50, cursor: nil).items
                        .map(\.id))
            }
        }
        #expect(try list().isEmpty)

        _ = try fixture.trigger(try fixture.newAlert(dedupKey: "repeated"), at: later)
        try fixture.transaction { connection in
            let alerts = AlertRepository(connection)
            _ = try alerts.acknowledge(id: ids["acknowledged"]!, actor: "tests", note: nil, now: later)
            _ = try alerts.resolve(id: ids["resolved"]!, actor: "tests", resolution: nil, now: later)
        }
        let batch = try AlertRepository.triggerBatchStatements([
            BatchedTrigger(
                alert: try fixture.newAlert(dedupKey: "batched"), service: .id(fixture.serviceID),
                actor: "tests",
                now: later,
                audit: AuditEntry(
                    occurredAt: later, actorKind: "api_key", actorID: nil, actorName: "tests", action: "POST",
                    target: "/api/v1/alerts", remoteAddress: "127.0.0.1", requestID: "r", status: 0))
        ])
        _ = try fixture.pool.withConnection { try $0.queryInOneTransaction(batch.map(\.query)) }
        let declared = try NewIncident.validate(
            title: "Disk", severity: "SEV2", summary: nil, impact: nil, commander: nil, services: nil,
            alertIDs: [String(ids["incident"]!)], startedAt: nil, detectedAt: later, now: later)
        _ = try fixture.transaction {
            try IncidentRepository($0).create(declared, actor: "tests", policy: SLAPolicy(), now: later)
        }

        #expect(
            try list()
                == Set(["repeated", "acknowledged", "resolved", "batched", "incident"].map { ids[$0]! }))
    }

    @Test func aWindowWithMoreChangesThanTheTimelineLimitIsReadFromTheAlertsWithTheSameAnswer() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let before = Date().addingTimeInterval(-60)
        let since = before.addingTimeInterval(30)
        let old = try fixture.trigger(try fixture.newAlert(dedupKey: "old"), at: before).record.id
        let stormy = try fixture.trigger(try fixture.newAlert(dedupKey: "storm"), at: since).record.id
        func list() throws -> [Int64] {
            try fixture.pool.withConnection {
                try AlertRepository($0).list(AlertListFilter(since: since), limit: 50, cursor: nil).items.map(
                    \.id)
            }
        }
        #expect(try list() == [stormy])
        // A storm's worth of entries in the window: more than the feed reads through the timeline.
        try fixture.pool.withConnection { connection in
            _ = try connection.execute(
                """
                INSERT INTO timeline_entries (alert_id, service_id, kind, actor, occurred_at, created_at)
                SELECT \(stormy), \(fixture.serviceID), 'alert_deduplicated', 'tests', \(since), \(since)
                FROM generate_series(1, \(Int64(AlertRepository.feedTimelineLimit)))
                """)
        }
        #expect(try list() == [stormy], "\(old) changed before the window")
    }
}
