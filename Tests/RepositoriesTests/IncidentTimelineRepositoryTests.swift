import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// An incident's timeline: occurred order, back-dated notes, cursor pages, and its alerts'
/// entries (issue 6).
@Suite struct IncidentTimelineRepositoryTests {
    let fixture: IncidentRepositoryFixture

    init() throws { fixture = try IncidentRepositoryFixture() }

    @Test func backDatedNotesTakeTheirPlaceInOccurredOrder() throws {
        defer { fixture.close() }
        let now = IncidentRepositoryFixture.now()
        let incident = try fixture.create(detectedAt: now.addingTimeInterval(-600), now: now)
        let early = try TimelineNote.validate(
            body: "Saw errors first", occurredAt: now.addingTimeInterval(-300), now: now)
        let late = try TimelineNote.validate(
            body: "Paged the DBA", occurredAt: nil, now: now.addingTimeInterval(10))
        let lateEntry = try fixture.transaction {
            try $0.addNote(id: incident.id, note: late, actor: "bob", now: now.addingTimeInterval(10))
        }
        let earlyEntry = try fixture.transaction {
            try $0.addNote(id: incident.id, note: early, actor: "bob", now: now.addingTimeInterval(20))
        }
        #expect(earlyEntry.occurredAt == now.addingTimeInterval(-300))
        #expect(earlyEntry.createdAt > earlyEntry.occurredAt)
        let bodies = try fixture.timeline(incident.id).map(\.body)
        #expect(bodies == ["Saw errors first", "SEV2 incident declared: Checkout errors", "Paged the DBA"])
        #expect(lateEntry.occurredAt == now.addingTimeInterval(10))
        #expect(
            try fixture.incident(incident.id)?.updatedAt == now.addingTimeInterval(20),
            "notes move updated_at")
    }

    @Test func futureNotesAreRefusedAndSmallSkewIsClampedToNow() throws {
        let now = IncidentRepositoryFixture.now()
        let error = #expect(throws: ValidationError.self) {
            try TimelineNote.validate(body: "later", occurredAt: now.addingTimeInterval(60), now: now)
        }
        #expect(error?.fields == ["occurred_at"])
        let skewed = try TimelineNote.validate(body: "x", occurredAt: now.addingTimeInterval(2), now: now)
        #expect(skewed.occurredAt == now)
        fixture.close()
    }

    @Test func cursorPagesCoverEveryEntryOnceEvenWithInsertsBetweenPages() throws {
        defer { fixture.close() }
        let start = IncidentRepositoryFixture.now()
        let incident = try fixture.create(now: start)
        for index in 1...9 {
            let note = try TimelineNote.validate(body: "note \(index)", occurredAt: nil, now: start)
            _ = try fixture.transaction {
                try $0.addNote(
                    id: incident.id, note: note, actor: "bob", now: start.addingTimeInterval(Double(index)))
            }
        }
        var bodies: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = try fixture.pool.withConnection {
                try IncidentRepository($0).timeline(id: incident.id, limit: 4, cursor: cursor)
            }
            bodies += page.items.map(\.body)
            cursor = page.nextCursor
            pages += 1
            if pages == 1 {
                // Appended while the client pages: it shows up at the end, nothing shifts.
                let note = try TimelineNote.validate(body: "note 10", occurredAt: nil, now: start)
                _ = try fixture.transaction {
                    try $0.addNote(
                        id: incident.id, note: note, actor: "bob", now: start.addingTimeInterval(100))
                }
            }
        } while cursor != nil
        #expect(bodies.count == 11 && Set(bodies).count == 11)
        #expect(bodies.last == "note 10" && pages == 3)
        #expect(throws: ValidationError.self) {
            try fixture.pool.withConnection {
                try IncidentRepository($0).timeline(id: incident.id, limit: 4, cursor: "dGltZWxpbmU6OTk5OTk5")
            }
        }
    }

    @Test func alertEntriesShowOnTheIncidentOnceEachIncludingTheTriggerBeforeGrouping() throws {
        defer { fixture.close() }
        let start = IncidentRepositoryFixture.now()
        let first = try fixture.trigger(dedupKey: "cpu", now: start)
        let incidentID = try #require(first.record.incidentID)
        try fixture.trigger(dedupKey: "cpu", now: start.addingTimeInterval(1))
        _ = try fixture.pool.withTransaction {
            try AlertRepository($0).acknowledge(
                id: first.record.id, actor: "dave", note: nil, now: start.addingTimeInterval(2))
        }
        _ = try fixture.transaction {
            try $0.resolve(id: incidentID, actor: "bob", resolution: "Done", now: start.addingTimeInterval(3))
        }
        let kinds = try fixture.timeline(incidentID).map(\.kind)
        // The alert's acknowledgement is the incident's first one (issue 16): `acknowledged` too.
        #expect(
            kinds == [
                .alertTriggered, .created, .alertAttached, .alertDeduplicated, .alertAcknowledged,
                .acknowledged,
                .resolved, .alertResolved,
            ])
        let other = try fixture.create(title: "Unrelated")
        #expect(try fixture.timeline(other.id).map(\.kind) == [.created], "no leakage between incidents")
    }
}
