import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// TimelineRepository: append-only entries listed in the order things happened.
@Suite struct AlertTimelineRepositoryTests {
    @Test func entriesListInOccurredOrderAcrossPagesIncludingBackdatedNotes() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let alert = try fixture.trigger(try fixture.newAlert(), at: Date()).record
        let subject = TimelineSubject.alert(alert.id, serviceID: fixture.serviceID)
        let now = Date()
        try fixture.transaction { connection in
            let repository = TimelineRepository(connection)
            for (minutes, body) in [(-30, "back-dated"), (-1, "recent"), (-60, "oldest")] {
                let note = try TimelineNote.validate(
                    body: body, occurredAt: now.addingTimeInterval(Double(minutes) * 60), now: now)
                try repository.append(.note(note, actor: "jane"), to: subject, now: now)
            }
        }
        var bodies: [String] = []
        var cursor: String?
        repeat {
            let page = try fixture.pool.withConnection {
                try TimelineRepository($0).list(.alert(alert.id), limit: 2, cursor: cursor)
            }
            bodies += page.items.map(\.body)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(bodies.prefix(3) == ["oldest", "back-dated", "recent"])
        #expect(bodies.count == 4)
        let serviceEntries = try fixture.pool.withConnection {
            try TimelineRepository($0).list(.service(fixture.serviceID), limit: 10, cursor: nil)
        }
        #expect(serviceEntries.items.count == 4)
        let alertCursor = "YWxlcnRzOjE"  // an alerts cursor, not a timeline one
        #expect(throws: ValidationError.self) {
            try fixture.pool.withConnection {
                try TimelineRepository($0).list(.alert(alert.id), limit: 2, cursor: alertCursor)
            }
        }
    }

    @Test func serviceEntriesKeepTheirData() throws {
        let fixture = try AlertRepositoryFixture()
        defer { fixture.close() }
        let entry = NewTimelineEntry(
            kind: .changeEvent, actor: "ci", body: "Deployed v1.2.3", data: ["build": 42, "ok": true])
        let stored = try fixture.transaction {
            try TimelineRepository($0).append(entry, to: .service(fixture.serviceID), now: Date())
        }
        #expect(stored.kind == .changeEvent && stored.data == ["build": 42, "ok": true])
        #expect(stored.serviceID == fixture.serviceID && stored.alertID == nil && stored.incidentID == nil)
        #expect(AlertCursor.decode(AlertCursor.encode(id: 42)) == 42)
        #expect(TimelineCursor.decode(AlertCursor.encode(id: 42)) == nil)
    }
}
