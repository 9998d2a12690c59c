import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// Events written by the statements that do not go through `EventRepository.append`: the alert
/// trigger batch (one event per trigger, from the same statement), and the SLA job's escalations.
@Suite struct EventAppendTests {
    /// Every event row in id order: (type, data) straight from the table (final or not).
    private func events(_ pool: PostgresPool) throws -> [(type: String, data: [String: JSONValue])] {
        try pool.withConnection { connection in
            try connection.query("SELECT type, data FROM events ORDER BY id").map {
                (
                    try $0.decode("type", as: String.self),
                    try $0.decode("data", as: PostgresJSON.self).decode(as: [String: JSONValue].self)
                )
            }
        }
    }

    @Test func aBatchOfRepeatsAppendsOneEventPerTriggerCountedAsEachStood() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alert = try fixture.newAlert(dedupKey: "storm")
        let now = Date()
        let triggers = (0..<3).map { index in
            BatchedTrigger(
                alert: alert, service: .id(fixture.serviceID), actor: "sender-\(index)", now: now,
                audit: AuditEntry(
                    occurredAt: now, actorKind: "api_key", actorID: nil, actorName: "t", action: "POST",
                    target: "/api/v1/alerts", remoteAddress: "127.0.0.1", requestID: "r\(index)", status: 0))
        }
        let statements = try AlertRepository.triggerBatchStatements(triggers)
        #expect(statements.count == 1)
        _ = try fixture.pool.withConnection { try $0.queryInOneTransaction(statements.map(\.query)) }
        let written = try events(fixture.pool)
        #expect(written.map(\.type) == ["alert.triggered", "alert.triggered", "alert.triggered"])
        #expect(written.map { $0.data["event_count"] } == [.integer(1), .integer(2), .integer(3)])
        #expect(written.map { $0.data["deduplicated"] } == [.bool(false), .bool(true), .bool(true)])
        #expect(
            written.allSatisfy {
                $0.data["summary"] == .string(alert.summary) && $0.data["incident"] == .null
            })
        let actors: [String] = try fixture.pool.withConnection { connection in
            try connection.query("SELECT actor FROM events ORDER BY id").map { try $0.decode("actor") }
        }
        #expect(actors == ["sender-0", "sender-1", "sender-2"])
    }

    @Test func identicalAlertmanagerRepeatsChangeNothingAndAppendNothing() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alert = try fixture.newAlert(dedupKey: "fp")
        for _ in 0..<2 {
            _ = try fixture.transaction {
                try AlertRepository($0).trigger(
                    alert, serviceID: fixture.serviceID, actor: "am", now: Date(),
                    repeats: .ignoreIdenticalRepeats)
            }
        }
        #expect(try events(fixture.pool).count == 1)
    }

    @Test func theSLAJobAppendsOneEscalatedEventPerBreach() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let now = Date()
        try fixture.transaction { connection in
            for title in ["Late one", "Late two"] {
                let new = try NewIncident.validate(
                    title: title, severity: "SEV1", summary: nil, impact: nil, commander: nil,
                    services: ["payments"],
                    alertIDs: nil, startedAt: nil, detectedAt: now.addingTimeInterval(-3600), now: now)
                _ = try IncidentRepository(connection).create(new, actor: "t", policy: .standard, now: now)
            }
        }
        let escalated = try fixture.transaction { try IncidentRepository($0).escalateOverdue(now: now) }
        #expect(escalated.count == 2)
        let written = try events(fixture.pool).filter { $0.type == "incident.escalated" }
        #expect(written.count == 2)
        #expect(
            written.allSatisfy {
                $0.data["reason"] == "sla_breach" && $0.data["services"] == .array(["payments"])
            })
        #expect(try fixture.transaction { try IncidentRepository($0).escalateOverdue(now: now) }.isEmpty)
        #expect(try events(fixture.pool).filter { $0.type == "incident.escalated" }.count == 2)
    }
}
