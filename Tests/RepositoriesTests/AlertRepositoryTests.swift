import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// SPEC §3 alerts against a real PostgreSQL: dedup, transitions, timeline entries.
@Suite struct AlertRepositoryTests {
    @Test func firstTriggerOpensAlertAndLogsTheDomainEntry() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let result = try fixture.trigger(try fixture.newAlert(details: .object(["disk": "/var"])))
        #expect(result.isNew)
        let alert = result.record
        #expect(alert.status == .triggered && alert.eventCount == 1 && alert.service == "payments")
        #expect(alert.details == ["disk": "/var"])
        #expect(alert.links == [AlertLink(href: "https://grafana.example/d/disk", text: "Dashboard")])
        let entries = try fixture.timeline(alertID: alert.id)
        try #require(entries.count == 1)
        // The SQL-built entry reads exactly like the domain factory's.
        let expected = NewTimelineEntry.alertTriggered(
            alert: alert.alert.ref, summary: alert.summary, severity: .warning)
        #expect(
            entries[0].kind == expected.kind && entries[0].body == expected.body
                && entries[0].data == expected.data)
        #expect(entries[0].serviceID == fixture.serviceID && entries[0].actor == "tests")
    }

    @Test func repeatedTriggerUpdatesTheOpenAlertAndRaisesButNeverLowersSeverity() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let first = try fixture.trigger(try fixture.newAlert(severity: "warning"))
        let second = try fixture.trigger(try fixture.newAlert(summary: "Disk 95% full", severity: "critical"))
        let third = try fixture.trigger(try fixture.newAlert(summary: "Disk 96% full", severity: "info"))
        #expect(!second.isNew && !third.isNew)
        #expect(third.record.id == first.record.id)
        #expect(third.record.eventCount == 3)
        #expect(third.record.summary == "Disk 96% full")
        #expect(third.record.severity == .critical)
        #expect(third.needsGrouping)
        let entries = try fixture.timeline(alertID: first.record.id)
        #expect(entries.map(\.kind) == [.alertTriggered, .alertDeduplicated, .alertDeduplicated])
        let expected = NewTimelineEntry.alertDeduplicated(
            alert: first.record.alert.ref, eventCount: 3, summary: "Disk 96% full")
        #expect(entries[2].body == expected.body && entries[2].data == expected.data)
    }

    @Test func afterResolveTheSameKeyOpensANewAlert() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let first = try fixture.trigger(try fixture.newAlert())
        _ = try fixture.transaction {
            try AlertRepository($0).resolve(
                id: first.record.id, actor: "jane", resolution: "freed", now: Date())
        }
        let second = try fixture.trigger(try fixture.newAlert())
        #expect(second.isNew)
        #expect(second.record.id != first.record.id)
        #expect(second.record.eventCount == 1)
        let resolved = try fixture.pool.withConnection { try AlertRepository($0).find(id: first.record.id) }
        #expect(
            resolved?.status == .resolved && resolved?.resolution == "freed" && resolved?.resolvedBy == "jane"
        )
    }

    @Test func acknowledgeThenAcknowledgeAgainIsANoOpAndResolvedIsAConflict() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let id = try fixture.trigger(try fixture.newAlert()).record.id
        let acknowledge = { (actor: String) in
            try fixture.transaction {
                try AlertRepository($0).acknowledge(id: id, actor: actor, note: "looking", now: Date())
            }
        }
        let first = try acknowledge("jane")
        #expect(
            first.changed && first.record.status == .acknowledged && first.record.acknowledgedBy == "jane")
        let again = try acknowledge("bob")
        #expect(!again.changed && again.record.acknowledgedBy == "jane")
        let resolved = try fixture.transaction {
            try AlertRepository($0).resolve(id: id, actor: "jane", resolution: nil, now: Date())
        }
        #expect(resolved.changed && resolved.record.status == .resolved)
        #expect(throws: DomainError.self) { try acknowledge("bob") }
        #expect(throws: DomainError.self) {
            try fixture.transaction {
                try AlertRepository($0).resolve(id: id, actor: "x", resolution: nil, now: Date())
            }
        }
        #expect(throws: DomainError.notFound(.alert, "ALR-999999")) {
            try fixture.transaction {
                try AlertRepository($0).acknowledge(id: 999_999, actor: "x", note: nil, now: Date())
            }
        }
        let kinds = try fixture.timeline(alertID: id).map(\.kind)
        #expect(kinds == [.alertTriggered, .alertAcknowledged, .alertResolved])
    }

    @Test func identicalRepeatsAreIgnoredWhenAskedAndChangesStillCount() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let serviceID = fixture.serviceID
        let alert = try fixture.newAlert(details: .object(["labels": .object(["a": "b"])]))
        let trigger = { (alert: NewAlert) in
            try fixture.transaction {
                try AlertRepository($0).trigger(
                    alert, serviceID: serviceID, actor: "am", now: Date(), repeats: .ignoreIdenticalRepeats)
            }
        }
        let first = try #require(try trigger(alert))
        #expect(first.isNew)
        #expect(try trigger(alert) == nil)
        let changed = try #require(try trigger(try fixture.newAlert(summary: "Disk 99% full")))
        #expect(!changed.isNew && changed.record.eventCount == 2)
        #expect(try fixture.timeline(alertID: first.record.id).count == 2)
    }

    @Test func resolveOpenByDedupKeyHonoursTheEpisodeStart() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let serviceID = fixture.serviceID
        let alert = try fixture.newAlert(
            dedupKey: "fp1", details: .object(["starts_at": "2026-11-22T10:00:00Z"]))
        let id = try fixture.trigger(alert).record.id
        let resolve = { (startedAt: String?) in
            try fixture.transaction {
                try AlertRepository($0).resolveOpen(
                    serviceID: serviceID, dedupKey: "fp1", startedAt: startedAt, actor: "am", resolution: nil,
                    now: Date())
            }
        }
        #expect(try resolve("2026-11-22T09:00:00Z") == nil)
        #expect(try resolve("2026-11-22T10:00:00Z")?.record.id == id)
        #expect(try resolve("2026-11-22T10:00:00Z") == nil)
    }

    @Test func listFiltersAndPagesNewestFirstWithStableCursors() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        var ids: [Int64] = []
        for index in 0..<7 {
            let severity = index % 2 == 0 ? "critical" : "info"
            ids.append(
                try fixture.trigger(try fixture.newAlert(dedupKey: "k\(index)", severity: severity)).record.id
            )
        }
        _ = try fixture.transaction {
            try AlertRepository($0).resolve(id: ids[0], actor: "x", resolution: nil, now: Date())
        }
        let list = { (filter: AlertListFilter, cursor: String?) in
            try fixture.pool.withConnection { try AlertRepository($0).list(filter, limit: 2, cursor: cursor) }
        }
        var seen: [Int64] = []
        var cursor: String?
        repeat {
            let page = try list(AlertListFilter(), cursor)
            seen += page.items.map(\.id)
            cursor = page.nextCursor
            // An insert between pages must not shift what the next page holds.
            if seen.count == 2 { _ = try fixture.trigger(try fixture.newAlert(dedupKey: "late")) }
        } while cursor != nil
        #expect(seen == ids.reversed())
        let critical = try list(AlertListFilter(statuses: [.triggered], severities: [.critical]), nil)
        #expect(critical.items.map(\.id) == [ids[6], ids[4]])
        let none = try list(AlertListFilter(services: ["nope"]), nil)
        #expect(none.items.isEmpty && none.nextCursor == nil)
        let future = try list(AlertListFilter(since: Date().addingTimeInterval(60)), nil)
        #expect(future.items.isEmpty)
        #expect(throws: ValidationError.self) { try list(AlertListFilter(), "bm90LWEtY3Vyc29y") }
    }
}
