import API
import Domain
import Foundation
import Testing

/// Issue 7: post-mortems drafted from an incident, one per incident, the status flow, the
/// Markdown rendering and the overdue list, over a real server and database.
@Suite struct PostMortemAPITests {
    /// The API's clock in these tests: 2025-03-10T12:00:00Z, long after the scripted incidents.
    static let now = Date(timeIntervalSince1970: 1_741_608_000)

    /// The scripted SEV1: detected 10:00, acknowledged 10:07, root cause 10:20, mitigated
    /// 10:35, resolved 10:52 on 2024-12-02 (UTC).
    static func scripted() -> IncidentScript {
        IncidentScript(
            started: PostMortemTimes.december2(minutes: -4), detected: PostMortemTimes.december2(minutes: 0),
            acknowledged: PostMortemTimes.december2(minutes: 7),
            identified: PostMortemTimes.december2(minutes: 20),
            monitoring: PostMortemTimes.december2(minutes: 35),
            resolved: PostMortemTimes.december2(minutes: 52))
    }

    @Test func draftIsPrefilledFromTheIncidentAndItsTimeline() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let id = try Self.scripted().run(on: app.pool)
        let responder = try app.makeKey(role: .responder, name: "bob")

        let created = try app.request("POST", "/api/v1/incidents/INC-\(id)/postmortem", key: responder)
        #expect(created.status == 201, "\(created.bodyText)")
        #expect(created.header("Location") == "/api/v1/incidents/INC-\(id)/postmortem")
        let body = created.json
        #expect(body["incident"] as? String == "INC-\(id)")
        #expect(body["incident_title"] as? String == "Checkout errors")
        #expect(body["status"] as? String == "draft")
        #expect(body["date"] as? String == "2024-12-02")
        #expect(body["duration_minutes"] as? Int == 52)
        #expect(body["severity"] as? String == "SEV1")
        #expect(body["impact"] as? String == "30 % of checkouts failed")
        let moments = try #require(body["key_moments"] as? [String: Any])
        let expected: [(String, Double)] = [
            ("detection", 0), ("response_initiated", 7), ("root_cause_identified", 20),
            ("mitigation_applied", 35), ("resolution_confirmed", 52),
        ]
        for (key, minutes) in expected {
            #expect(
                moments[key] as? String == PostMortemTimes.text(PostMortemTimes.december2(minutes: minutes)),
                "\(key)")
        }
        // SPEC §3: SEV1 post-mortems are due 48 h after resolution; long past at `now`.
        #expect(
            body["due_at"] as? String
                == PostMortemTimes.text(PostMortemTimes.december2(minutes: 52 + 48 * 60)))
        #expect(body["overdue"] as? Bool == true)
        #expect(body["root_cause"] is NSNull)
        #expect((body["lessons"] as? [String: Any])?["went_well"] is NSNull)
        #expect((body["action_items"] as? [Any])?.isEmpty == true)
        #expect(try app.timelineKinds(incident: id).contains("postmortem_created"))

        let read = try app.request(
            "GET", "/api/v1/incidents/\(id)/postmortem", key: try app.makeKey(role: .viewer))
        #expect(read.status == 200)
        #expect(read.json["duration_minutes"] as? Int == 52)
    }

    @Test func oneDraftPerIncidentAndOpenIncidentsNeedForce() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let resolved = try Self.scripted().run(on: app.pool)
        var open = Self.scripted()
        open.title = "Search slow"
        open.identified = nil
        open.monitoring = nil
        open.resolved = nil
        let openID = try open.run(on: app.pool)

        #expect(try app.admin("POST", "/api/v1/incidents/\(resolved)/postmortem").status == 201)
        let second = try app.admin(
            "POST", "/api/v1/incidents/\(resolved)/postmortem", json: #"{"force":true}"#)
        #expect(second.status == 409)
        #expect((second.json["detail"] as? String)?.contains("already has a post-mortem") == true)

        let refused = try app.admin("POST", "/api/v1/incidents/\(openID)/postmortem")
        #expect(refused.status == 409)
        #expect((refused.json["detail"] as? String)?.contains("not resolved") == true)
        let forced = try app.admin("POST", "/api/v1/incidents/\(openID)/postmortem", json: #"{"force":true}"#)
        #expect(forced.status == 201, "\(forced.bodyText)")
        #expect(forced.json["duration_minutes"] is NSNull)
        #expect(forced.json["due_at"] is NSNull)
        #expect((forced.json["key_moments"] as? [String: Any])?["resolution_confirmed"] is NSNull)
        #expect(
            (forced.json["key_moments"] as? [String: Any])?["response_initiated"] as? String
                == PostMortemTimes.text(PostMortemTimes.december2(minutes: 7)))
    }

    @Test func unknownIncidentsMissingPostMortemsAndViewersAreRefused() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let id = try Self.scripted().run(on: app.pool)
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.admin("GET", "/api/v1/incidents/\(id)/postmortem").status == 404)
        #expect(try app.admin("GET", "/api/v1/incidents/\(id)/postmortem.md").status == 404)
        let unknown = try app.admin("GET", "/api/v1/incidents/INC-999/postmortem")
        #expect(unknown.status == 404)
        #expect((unknown.json["detail"] as? String)?.contains("incident INC-999") == true)
        #expect(try app.admin("POST", "/api/v1/incidents/ALR-1/postmortem").status == 404)
        #expect(try app.request("POST", "/api/v1/incidents/\(id)/postmortem", key: viewer).status == 403)
        #expect(
            try app.admin("PATCH", "/api/v1/incidents/\(id)/postmortem", json: #"{"summary":"x"}"#).status
                == 404)
        let invalid = try app.admin(
            "POST", "/api/v1/incidents/\(id)/postmortem?force=maybe", json: #"{"force":true}"#)
        #expect(invalid.status == 422)
        #expect(invalid.errorFields == ["force"])
    }

    @Test func statusFlowPublishesOnceAndLocksUntilAnAdminReopens() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let id = try Self.scripted().run(on: app.pool)
        let responder = try app.makeKey(role: .responder, name: "bob")
        let path = "/api/v1/incidents/\(id)/postmortem"
        #expect(try app.request("POST", path, key: responder).status == 201)

        let edit =
            #"{"root_cause":"A bad deploy","lessons":{"went_well":"Fast rollback"},"prevention":"Canary"}"#
        let edited = try app.request("PATCH", path, json: edit, key: responder)
        #expect(edited.status == 200, "\(edited.bodyText)")
        #expect(edited.json["root_cause"] as? String == "A bad deploy")
        #expect((edited.json["lessons"] as? [String: Any])?["went_well"] as? String == "Fast rollback")
        #expect((edited.json["lessons"] as? [String: Any])?["went_wrong"] is NSNull)

        let review = try app.request("PATCH", path, json: #"{"status":"in_review"}"#, key: responder)
        #expect(review.json["status"] as? String == "in_review")
        let published = try app.request("PATCH", path, json: #"{"status":"published"}"#, key: responder)
        #expect(published.status == 200)
        #expect(published.json["status"] as? String == "published")
        #expect(published.json["published_at"] as? String == PostMortemTimes.text(Self.now))
        #expect(published.json["overdue"] as? Bool == false)
        let kinds = try app.timelineKinds(incident: id)
        #expect(kinds.filter { $0 == "postmortem_published" }.count == 1)
        #expect(kinds.contains("postmortem_status_changed"))

        // Issue 7: published is read-only, for responders in every form.
        let locked = try app.request("PATCH", path, json: #"{"summary":"late edit"}"#, key: responder)
        #expect(locked.status == 409)
        let sneaky = try app.request(
            "PATCH", path, json: #"{"status":"published","summary":"x"}"#, key: responder)
        #expect(sneaky.status == 409)
        #expect(try app.request("PATCH", path, json: #"{"status":"draft"}"#, key: responder).status == 409)
        #expect(
            try app.request("PATCH", path, json: #"{"status":"published"}"#, key: responder).status == 200)

        // An admin reopens and edits in one request; the publication time is cleared.
        let reopened = try app.admin(
            "PATCH", path, json: #"{"status":"draft","summary":"Reopened for a fix"}"#)
        #expect(reopened.status == 200, "\(reopened.bodyText)")
        #expect(reopened.json["status"] as? String == "draft")
        #expect(reopened.json["summary"] as? String == "Reopened for a fix")
        #expect(reopened.json["published_at"] is NSNull)
        #expect(
            try app.request("PATCH", path, json: #"{"summary":""}"#, key: responder).json["summary"] is NSNull
        )

        let bad = try app.request("PATCH", path, json: #"{"status":"done"}"#, key: responder)
        #expect(bad.status == 422)
        #expect(bad.errorFields == ["status"])
    }

    @Test func markdownHasEveryTemplateSectionInOrderWithTheIncidentFacts() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let id = try Self.scripted().run(on: app.pool)
        let path = "/api/v1/incidents/\(id)/postmortem"
        #expect(try app.admin("POST", path).status == 201)
        let edit =
            #"{"root_cause":"Pool exhausted","lessons":{"went_wrong":"Late page"},"prevention":"Alert on pool"}"#
        #expect(try app.admin("PATCH", path, json: edit).status == 200)
        let item = #"{"owner":"alice","action":"Add pool alert","due_date":"2024-12-20"}"#
        #expect(try app.admin("POST", path + "/action-items", json: item).status == 201)

        let markdown = try app.request("GET", path + ".md", key: try app.makeKey(role: .viewer))
        #expect(markdown.status == 200)
        #expect(markdown.header("Content-Type") == "text/markdown; charset=utf-8")
        let text = markdown.bodyText
        // Seed 003's template, line by line, in its order, with this incident's facts.
        let expectedInOrder = [
            "# Incident Post-Mortem: INC-\(id)", "## Summary", "- Date: 2024-12-02", "- Duration: 52 minutes",
            "- Severity: SEV-1", "- Impact: 30 % of checkouts failed", "## Timeline", "- 10:00 - Detection",
            "- 10:07 - Response initiated", "- 10:20 - Root cause identified", "- 10:35 - Mitigation applied",
            "- 10:52 - Resolution confirmed", "## Root Cause", "Pool exhausted", "## Lessons Learned",
            "1. What went well", "2. What went wrong", "Late page", "3. Where we got lucky",
            "## Action Items",
            "- [ ] alice - Add pool alert - 2024-12-20", "## Prevention Measures", "Alert on pool",
        ]
        var position = text.startIndex
        for line in expectedInOrder {
            let found = text.range(of: line, range: position..<text.endIndex)
            #expect(found != nil, "missing or out of order: \(line)")
            if let found { position = found.upperBound }
        }
    }

    @Test func overdueListHoldsOnlyLateUnpublishedMajorPostMortems() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let hour: TimeInterval = 3600
        func resolvedIncident(_ title: String, _ severity: String, resolvedHoursAgo: Double) throws -> Int64 {
            let resolved = Self.now.addingTimeInterval(-resolvedHoursAgo * hour)
            return try IncidentScript(
                title: title, severity: severity, started: resolved.addingTimeInterval(-hour),
                detected: resolved.addingTimeInterval(-hour), resolved: resolved
            ).run(on: app.pool)
        }
        let late = try resolvedIncident("Late SEV1", "SEV1", resolvedHoursAgo: 49)
        let fresh = try resolvedIncident("Fresh SEV2", "SEV2", resolvedHoursAgo: 47)
        let minor = try resolvedIncident("Old SEV3", "SEV3", resolvedHoursAgo: 500)
        let done = try resolvedIncident("Published SEV2", "SEV2", resolvedHoursAgo: 100)
        for id in [late, fresh, minor, done] {
            #expect(try app.admin("POST", "/api/v1/incidents/\(id)/postmortem").status == 201)
        }
        #expect(
            try app.admin("PATCH", "/api/v1/incidents/\(done)/postmortem", json: #"{"status":"published"}"#)
                .status == 200)

        let overdue = try app.admin("GET", "/api/v1/postmortems?overdue=true")
        #expect(overdue.status == 200)
        let items = overdue.json["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["incident_id"] as? Int } == [Int(late)])
        #expect(items.first?["overdue"] as? Bool == true)
        #expect(overdue.json["next_cursor"] is NSNull)

        let drafts = try app.admin("GET", "/api/v1/postmortems?status=draft&limit=2")
        let firstPage = (drafts.json["items"] as? [[String: Any]] ?? []).compactMap {
            $0["incident_id"] as? Int
        }
        #expect(firstPage == [Int(minor), Int(fresh)])
        let cursor = try #require(drafts.json["next_cursor"] as? String)
        let next = try app.admin("GET", "/api/v1/postmortems?status=draft&limit=2&cursor=\(cursor)")
        #expect(
            (next.json["items"] as? [[String: Any]] ?? []).compactMap { $0["incident_id"] as? Int } == [
                Int(late)
            ])
        let published = try app.admin("GET", "/api/v1/postmortems?status=published")
        #expect((published.json["items"] as? [[String: Any]])?.count == 1)

        let invalid = try app.admin("GET", "/api/v1/postmortems?status=final&overdue=yes&limit=0")
        #expect(invalid.status == 422)
        #expect(Set(invalid.errorFields) == ["status", "overdue", "limit"])
    }
}
