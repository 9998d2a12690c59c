import API
import Domain
import Foundation
import TestSupport
import Testing

/// Issue 7: action items on a post-mortem, their edits, and the owner/status/overdue filters.
@Suite struct PostMortemActionItemsAPITests {
    /// The API's clock: 2025-03-10T12:00:00Z, so "today" is 2025-03-10 (UTC).
    static let now = Date(timeIntervalSince1970: 1_741_608_000)

    /// A resolved incident with a post-mortem; returns the incident id.
    static func incidentWithPostMortem(_ app: TestApp, title: String = "Checkout errors") throws -> Int64 {
        var script = PostMortemAPITests.scripted()
        script.title = title
        let id = try script.run(on: app.pool)
        let created = try app.admin("POST", "/api/v1/incidents/\(id)/postmortem")
        guard created.status == 201 else { throw AlertTestError.setup(created.bodyText) }
        return id
    }

    /// Adds an item and returns its id.
    static func addItem(
        _ app: TestApp, incident: Int64, owner: String, due: String?, action: String = "Fix it"
    )
        throws -> Int
    {
        let dueJSON = due.map { #","due_date":"\#($0)""# } ?? ""
        let response = try app.admin(
            "POST", "/api/v1/incidents/\(incident)/postmortem/action-items",
            json: #"{"owner":"\#(owner)","action":"\#(action)"\#(dueJSON)}"#)
        guard response.status == 201, let id = response.json["id"] as? Int else {
            throw AlertTestError.setup(response.bodyText)
        }
        return id
    }

    static func ids(_ response: RawHTTPResponse) -> [Int] {
        (response.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
    }

    @Test func itemsAreAddedEditedAndShownOnThePostMortem() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let incident = try Self.incidentWithPostMortem(app)
        let responder = try app.makeKey(role: .responder, name: "bob")
        let added = try app.request(
            "POST", "/api/v1/incidents/INC-\(incident)/postmortem/action-items",
            json: #"{"owner":"alice","action":"Add a pool alert","due_date":"2025-03-20"}"#, key: responder)
        #expect(added.status == 201, "\(added.bodyText)")
        let id = try #require(added.json["id"] as? Int)
        #expect(added.header("Location") == "/api/v1/action-items/\(id)")
        #expect(added.json["status"] as? String == "open")
        #expect(added.json["due_date"] as? String == "2025-03-20")
        #expect(added.json["incident"] as? String == "INC-\(incident)")
        #expect(added.json["overdue"] as? Bool == false)

        let done = try app.request(
            "PATCH", "/api/v1/action-items/\(id)", json: #"{"status":"done","owner":"carol"}"#, key: responder
        )
        #expect(done.status == 200, "\(done.bodyText)")
        #expect(done.json["status"] as? String == "done")
        #expect(done.json["owner"] as? String == "carol")
        let cleared = try app.request(
            "PATCH", "/api/v1/action-items/\(id)", json: #"{"due_date":""}"#, key: responder)
        #expect(cleared.json["due_date"] is NSNull)
        #expect(try app.admin("GET", "/api/v1/action-items/\(id)").json["owner"] as? String == "carol")

        let postMortem = try app.admin("GET", "/api/v1/incidents/\(incident)/postmortem").json
        let items = postMortem["action_items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["owner"] as? String } == ["carol"])
        let kinds = try app.timelineKinds(incident: incident)
        #expect(kinds.contains("action_item_added"))
        #expect(kinds.filter { $0 == "action_item_updated" }.count == 2)
    }

    @Test func anItemAlreadyDoneIsRecordedAsDoneAndNeverOverdue() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let incident = try Self.incidentWithPostMortem(app)
        let added = try app.admin(
            "POST", "/api/v1/incidents/\(incident)/postmortem/action-items",
            json:
                #"{"owner":"alice","action":"Rolled back the config","due_date":"2025-03-01","status":"done"}"#
        )
        #expect(added.status == 201, "\(added.bodyText)")
        #expect(added.json["status"] as? String == "done")
        #expect(added.json["overdue"] as? Bool == false)
        let id = try #require(added.json["id"] as? Int)
        #expect(try app.admin("GET", "/api/v1/action-items/\(id)").json["status"] as? String == "done")
        #expect(Self.ids(try app.admin("GET", "/api/v1/action-items?status=done")) == [id])
        #expect(Self.ids(try app.admin("GET", "/api/v1/action-items?overdue=true")).isEmpty)
    }

    @Test func itemsStayEditableAfterPublication() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let incident = try Self.incidentWithPostMortem(app)
        let path = "/api/v1/incidents/\(incident)/postmortem"
        #expect(try app.admin("PATCH", path, json: #"{"status":"published"}"#).status == 200)
        let id = try Self.addItem(app, incident: incident, owner: "alice", due: "2025-04-01")
        #expect(
            try app.admin("PATCH", "/api/v1/action-items/\(id)", json: #"{"status":"done"}"#).status == 200)
    }

    @Test func invalidItemsAndUnknownTargetsAreRefused() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let incident = try Self.incidentWithPostMortem(app)
        let path = "/api/v1/incidents/\(incident)/postmortem/action-items"
        let invalid = try app.admin(
            "POST", path, json: #"{"owner":"","due_date":"2025-02-30","status":"closed"}"#)
        #expect(invalid.status == 422)
        #expect(Set(invalid.errorFields) == ["owner", "action", "due_date", "status"])
        var bare = PostMortemAPITests.scripted()
        bare.title = "No write-up"
        let withoutPostMortem = try bare.run(on: app.pool)
        let missing = try app.admin(
            "POST", "/api/v1/incidents/\(withoutPostMortem)/postmortem/action-items",
            json: #"{"owner":"a","action":"b"}"#)
        #expect(missing.status == 404)
        #expect(try app.admin("PATCH", "/api/v1/action-items/999", json: #"{"status":"done"}"#).status == 404)
        let id = try Self.addItem(app, incident: incident, owner: "alice", due: nil)
        let badPatch = try app.admin(
            "PATCH", "/api/v1/action-items/\(id)", json: #"{"status":"closed","owner":""}"#)
        #expect(badPatch.status == 422)
        #expect(Set(badPatch.errorFields) == ["status", "owner"])
        let viewer = try app.makeKey(role: .viewer)
        #expect(
            try app.request("PATCH", "/api/v1/action-items/\(id)", json: #"{"status":"done"}"#, key: viewer)
                .status == 403)
    }

    @Test func listFiltersByOwnerStatusAndOverdue() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let first = try Self.incidentWithPostMortem(app, title: "First")
        let second = try Self.incidentWithPostMortem(app, title: "Second")
        // Today is 2025-03-10: only an open item due before today is overdue.
        let lateAlice = try Self.addItem(app, incident: first, owner: "alice", due: "2025-03-09")
        let todayAlice = try Self.addItem(app, incident: first, owner: "alice", due: "2025-03-10")
        let lateBob = try Self.addItem(app, incident: second, owner: "bob", due: "2025-01-01")
        let undatedBob = try Self.addItem(app, incident: second, owner: "bob", due: nil)
        let lateButDone = try Self.addItem(app, incident: second, owner: "alice", due: "2024-12-31")
        #expect(
            try app.admin("PATCH", "/api/v1/action-items/\(lateButDone)", json: #"{"status":"done"}"#).status
                == 200)

        let overdue = try app.admin("GET", "/api/v1/action-items?overdue=true")
        #expect(Self.ids(overdue) == [lateAlice, lateBob])
        #expect(
            (overdue.json["items"] as? [[String: Any]])?.allSatisfy { $0["overdue"] as? Bool == true } == true
        )
        #expect(
            Self.ids(try app.admin("GET", "/api/v1/action-items?owner=alice&overdue=true")) == [lateAlice])
        #expect(
            Self.ids(try app.admin("GET", "/api/v1/action-items?owner=alice")) == [
                lateAlice, todayAlice, lateButDone,
            ])
        #expect(Self.ids(try app.admin("GET", "/api/v1/action-items?status=done")) == [lateButDone])
        #expect(
            Self.ids(try app.admin("GET", "/api/v1/action-items?owner=bob&status=open")) == [
                lateBob, undatedBob,
            ])

        let page = try app.admin("GET", "/api/v1/action-items?limit=3")
        #expect(Self.ids(page) == [lateAlice, todayAlice, lateBob])
        let cursor = try #require(page.json["next_cursor"] as? String)
        #expect(
            Self.ids(try app.admin("GET", "/api/v1/action-items?limit=3&cursor=\(cursor)")) == [
                undatedBob, lateButDone,
            ])

        let invalid = try app.admin("GET", "/api/v1/action-items?status=late&overdue=sometimes&cursor=nope")
        #expect(invalid.status == 422)
        #expect(Set(invalid.errorFields) == ["status", "overdue"])
        #expect(try app.admin("GET", "/api/v1/action-items?cursor=nope").status == 422)
    }
}
