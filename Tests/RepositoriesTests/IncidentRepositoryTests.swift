import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `IncidentRepository` against a real database: creation, lists, edits and the response
/// workflow with its timeline entries (issue 6).
@Suite struct IncidentRepositoryTests {
    let fixture: IncidentRepositoryFixture

    init() throws { fixture = try IncidentRepositoryFixture() }

    @Test func createDerivesChannelAndAckDeadlineFromSeverityAndDetection() throws {
        defer { fixture.close() }
        let detected = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18T...
        let incident = try fixture.create(
            title: "Checkout: 5xx on /pay!", severity: "P1", detectedAt: detected,
            now: detected.addingTimeInterval(60))
        #expect(incident.severity == .sev1 && incident.status == .investigating)
        #expect(incident.channel == IncidentChannel.name(title: "Checkout: 5xx on /pay!", date: detected))
        #expect(incident.channel.hasSuffix("-checkout-5xx-on-pay"))
        #expect(incident.ackDueAt == detected.addingTimeInterval(15 * 60))
        #expect(incident.startedAt == detected && incident.services == ["payments"])
        let entries = try fixture.timeline(incident.id)
        #expect(entries.map(\.kind) == [.created])
        #expect(entries.first?.actor == "alice")
    }

    @Test func createRefusesUnknownServicesAndAlertsNamingEachField() throws {
        defer { fixture.close() }
        let error = #expect(throws: ValidationError.self) {
            try fixture.create(services: ["payments", "nope"], alertIDs: [999])
        }
        #expect(error?.fields == ["services[1]"])
        let alertError = #expect(throws: ValidationError.self) { try fixture.create(alertIDs: [999, 998]) }
        #expect(alertError?.fields == ["alert_ids[0]", "alert_ids[1]"])
        #expect(try fixture.count("SELECT count(*) AS n FROM incidents") == 0, "nothing half-created")
    }

    @Test func alertInAnotherIncidentCannotBeAttachedAgain() throws {
        defer { fixture.close() }
        let alert = try fixture.trigger(severity: "warning", dedupKey: "disk")
        let first = try fixture.create(alertIDs: [alert.record.id])
        #expect(try fixture.alert(alert.record.id)?.incidentID == first.id)
        #expect(throws: DomainError.self) { try fixture.create(alertIDs: [alert.record.id]) }
        let second = try fixture.create(title: "Other")
        #expect(throws: DomainError.self) {
            try fixture.transaction {
                try $0.attachAlerts(id: second.id, alertIDs: [alert.record.id], actor: "bob", now: Date())
            }
        }
        let again = try fixture.transaction {
            try $0.attachAlerts(id: first.id, alertIDs: [alert.record.id], actor: "bob", now: Date())
        }
        #expect(!again.changed, "attaching an attached alert is a no-op")
    }

    @Test func attachingAlertsAddsTheirServicesAndOneEntryEach() throws {
        defer { fixture.close() }
        let incident = try fixture.create(services: [])
        let one = try fixture.trigger(service: "search", severity: "error", dedupKey: "latency")
        let two = try fixture.trigger(service: "payments", severity: "warning", dedupKey: "queue")
        let change = try fixture.transaction {
            try $0.attachAlerts(
                id: incident.id, alertIDs: [one.record.id, two.record.id], actor: "bob", now: Date())
        }
        #expect(change.changed && change.incident.services == ["payments", "search"])
        let attached = try fixture.timeline(incident.id).filter { $0.kind == .alertAttached }
        #expect(attached.map(\.alertID) == [one.record.id, two.record.id])
        #expect(attached.allSatisfy { $0.incidentID == incident.id && $0.actor == "bob" })
    }

    @Test func listFiltersAndPagesNewestFirstWithoutOverlap() throws {
        defer { fixture.close() }
        var ids: [Int64] = []
        for index in 0..<7 {
            let severity = index % 2 == 0 ? "SEV1" : "SEV3"
            ids.append(try fixture.create(title: "Incident \(index)", severity: severity).id)
        }
        _ = try fixture.transaction { try $0.resolve(id: ids[0], actor: "bob", resolution: nil, now: Date()) }
        let open = IncidentListFilter(statuses: Set(IncidentStatus.openStatuses))
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try fixture.pool.withConnection {
                try IncidentRepository($0).list(open, limit: 4, cursor: cursor)
            }
            seen += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == Array(ids.dropFirst().reversed()))
        let severe = try fixture.pool.withConnection {
            try IncidentRepository($0).list(IncidentListFilter(severities: [.sev1]), limit: 50, cursor: nil)
        }
        #expect(severe.items.map(\.id) == [ids[6], ids[4], ids[2], ids[0]] && severe.nextCursor == nil)
        let resolved = try fixture.pool.withConnection {
            try IncidentRepository($0).list(IncidentListFilter(statuses: [.resolved]), limit: 50, cursor: nil)
        }
        #expect(resolved.items.map(\.id) == [ids[0]])
        #expect(throws: ValidationError.self) {
            try fixture.pool.withConnection {
                try IncidentRepository($0).list(open, limit: 5, cursor: "bogus")
            }
        }
    }

    @Test func listFiltersByServiceAndSince() throws {
        defer { fixture.close() }
        let start = IncidentRepositoryFixture.now()
        let payments = try fixture.create(services: ["payments"], now: start)
        let search = try fixture.create(services: ["search"], now: start)
        let later = start.addingTimeInterval(30)
        _ = try fixture.transaction {
            try $0.acknowledge(id: payments.id, actor: "bob", note: nil, now: later)
        }
        let byService = try fixture.pool.withConnection {
            try IncidentRepository($0).list(IncidentListFilter(services: ["search"]), limit: 50, cursor: nil)
        }
        #expect(byService.items.map(\.id) == [search.id])
        let changed = try fixture.pool.withConnection {
            try IncidentRepository($0).list(IncidentListFilter(since: later), limit: 50, cursor: nil)
        }
        #expect(changed.items.map(\.id) == [payments.id], "since= returns what changed at or after it")
    }

    @Test func patchWritesOneEntryPerChangedFieldWithOldAndNewValues() throws {
        defer { fixture.close() }
        let detected = IncidentRepositoryFixture.now().addingTimeInterval(-60)
        let incident = try fixture.create(severity: "SEV4", detectedAt: detected)
        let patch = try IncidentPatch.validate(
            title: "Checkout errors", severity: "critical", summary: "Card payments fail", impact: nil,
            commander: "carol")
        let change = try fixture.transaction {
            try $0.update(id: incident.id, patch: patch, actor: "bob", policy: fixture.policy, now: Date())
        }
        #expect(change.changed && change.incident.severity == .sev1 && change.incident.commander == "carol")
        #expect(change.incident.ackDueAt == fixture.policy.ackDue(detectedAt: detected, severity: .sev1))
        let entries = try fixture.timeline(incident.id).dropFirst()
        #expect(
            entries.map(\.kind) == [.severityChanged, .fieldChanged, .assigned],
            "the unchanged title writes nothing")
        #expect(
            entries.first?.data["from"] == .string("SEV4") && entries.first?.data["to"] == .string("SEV1"))
        #expect(
            entries.dropFirst().first?.data == [
                "field": "summary", "from": .null, "to": "Card payments fail",
            ])
        let clear = try IncidentPatch.validate(
            title: nil, severity: nil, summary: "", impact: nil, commander: nil)
        let cleared = try fixture.transaction {
            try $0.update(id: incident.id, patch: clear, actor: "bob", policy: fixture.policy, now: Date())
        }
        #expect(cleared.incident.summary == nil)
        #expect(try fixture.timeline(incident.id).last?.data["to"] == .null)
    }

    @Test func acknowledgeCascadesToTriggeredAlertsOnceAndIsThenANoOp() throws {
        defer { fixture.close() }
        let grouped = try fixture.trigger(dedupKey: "cpu")
        let incidentID = try #require(grouped.record.incidentID)
        let other = try fixture.trigger(severity: "warning", dedupKey: "disk")
        // Acknowledged before it joins: acknowledging an alert already in the incident would
        // acknowledge the incident too (issue 16).
        _ = try fixture.pool.withTransaction {
            try AlertRepository($0).acknowledge(id: other.record.id, actor: "dave", note: nil, now: Date())
        }
        _ = try fixture.transaction {
            try $0.attachAlerts(id: incidentID, alertIDs: [other.record.id], actor: "bob", now: Date())
        }
        let change = try fixture.transaction {
            try $0.acknowledge(id: incidentID, actor: "bob", note: "on it", now: Date())
        }
        #expect(change.changed && change.incident.acknowledgedBy == "bob")
        #expect(try fixture.alert(grouped.record.id)?.status == .acknowledged)
        #expect(
            try fixture.alert(other.record.id)?.acknowledgedBy == "dave", "already acknowledged: untouched")
        let again = try fixture.transaction {
            try $0.acknowledge(id: incidentID, actor: "erin", note: nil, now: Date())
        }
        #expect(!again.changed && again.incident.acknowledgedBy == "bob")
        let kinds = try fixture.timeline(incidentID).map(\.kind)
        #expect(kinds.filter { $0 == .acknowledged }.count == 1)
        let cascaded = try fixture.timeline(incidentID).filter {
            $0.kind == .alertAcknowledged && $0.actor == "bob"
        }
        #expect(cascaded.map(\.alertID) == [grouped.record.id])
    }

    @Test func statusMovesForwardOnlyAndMonitoringSetsMitigatedAt() throws {
        defer { fixture.close() }
        let incident = try fixture.create()
        func change(_ status: String, _ message: String?) throws -> IncidentChange {
            let parsed = try StatusChange.validate(status: status, message: message)
            return try fixture.transaction {
                try $0.changeStatus(id: incident.id, to: parsed, actor: "bob", now: Date())
            }
        }
        #expect(try change("identified", "Status: identified. Lead: bob").incident.status == .identified)
        #expect(try !change("identified", nil).changed, "same status without a message is a no-op")
        #expect(try change("identified", "Next update in 30 min").changed)
        #expect(
            throws: DomainError.conflict(
                "INC-\(incident.id): The status cannot move back from identified to investigating; the order is investigating → identified → monitoring → resolved."
            )
        ) {
            try change("investigating", nil)
        }
        let monitoring = try change("monitoring", nil).incident
        #expect(monitoring.mitigatedAt != nil)
        let resolved = try change("resolved", "Fixed by rollback").incident
        #expect(
            resolved.status == .resolved && resolved.resolution == "Fixed by rollback"
                && resolved.resolvedAt != nil)
        #expect(throws: DomainError.self) { try change("resolved", "again") }
        let kinds = try fixture.timeline(incident.id).map(\.kind)
        #expect(
            kinds == [
                .created, .statusChanged, .statusUpdate, .statusUpdate, .statusChanged, .statusChanged,
                .statusUpdate,
            ])
    }

    @Test func resolveCascadesToOpenAlertsAndClosesTheIncident() throws {
        defer { fixture.close() }
        let grouped = try fixture.trigger(dedupKey: "cpu")
        let incidentID = try #require(grouped.record.incidentID)
        let change = try fixture.transaction {
            try $0.resolve(id: incidentID, actor: "bob", resolution: "Scaled out", now: Date())
        }
        #expect(change.incident.status == .resolved && change.incident.resolvedBy == "bob")
        let alert = try #require(try fixture.alert(grouped.record.id))
        #expect(alert.status == .resolved && alert.resolution == "Scaled out")
        let entries = try fixture.timeline(incidentID)
        #expect(entries.suffix(2).map(\.kind) == [.resolved, .alertResolved])
        #expect(entries.suffix(2).first?.data == ["from": "investigating", "to": "resolved"])
        for action in ["resolve", "ack", "patch", "attach"] {
            #expect(throws: DomainError.self, "\(action) on a resolved incident") {
                try fixture.transaction { repository -> IncidentChange in
                    switch action {
                    case "resolve":
                        try repository.resolve(id: incidentID, actor: "x", resolution: nil, now: Date())
                    case "ack": try repository.acknowledge(id: incidentID, actor: "x", note: nil, now: Date())
                    case "patch":
                        try repository.update(
                            id: incidentID,
                            patch: IncidentPatch.validate(
                                title: "New", severity: nil, summary: nil, impact: nil, commander: nil),
                            actor: "x", policy: fixture.policy, now: Date())
                    default:
                        try repository.attachAlerts(
                            id: incidentID, alertIDs: [grouped.record.id], actor: "x", now: Date())
                    }
                }
            }
        }
        #expect(throws: DomainError.notFound(.incident, "INC-999999")) {
            try fixture.transaction { try $0.acknowledge(id: 999_999, actor: "x", note: nil, now: Date()) }
        }
    }

    @Test func lateAcknowledgementOrResolutionMarksTheBreach() throws {
        defer { fixture.close() }
        let now = IncidentRepositoryFixture.now()
        let late = try fixture.create(severity: "SEV1", detectedAt: now.addingTimeInterval(-3600), now: now)
        let acked = try fixture.transaction {
            try $0.acknowledge(id: late.id, actor: "bob", note: nil, now: now)
        }
        #expect(acked.incident.slaBreached)
        let inTime = try fixture.create(severity: "SEV1", now: now)
        let resolved = try fixture.transaction {
            try $0.resolve(id: inTime.id, actor: "bob", resolution: nil, now: now)
        }
        #expect(!resolved.incident.slaBreached)
    }
}
