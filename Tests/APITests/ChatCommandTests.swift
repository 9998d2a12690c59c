import API
import Foundation
import TestSupport
import Testing

/// `POST /api/v1/chat/command` (issue 8): every command against a real database, the chat user
/// on the timeline, and clear `{"ok": false}` answers instead of errors.
@Suite struct ChatCommandTests {
    @Test func ackOfAnIncidentWritesWhatTheRESTRouteWritesWithTheChatUserAsActor() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "chatbot")
        let viaChat = try app.makeChatIncident("Checkout is down", key: key)
        let viaREST = try app.makeChatIncident("Search is slow", key: key)

        let response = try app.chat("ack INC-\(viaChat) looking at it", user: "alice", key: key)
        #expect(response.status == 200)
        #expect(response.json["ok"] as? Bool == true)
        #expect(response.json["changed"] as? Bool == true)
        #expect(
            (response.json["text"] as? String)?.hasPrefix(
                "INC-\(viaChat) acknowledged by alice: looking at it") == true)
        let incident = try #require(response.json["incident"] as? [String: Any])
        #expect(incident["ref"] as? String == "INC-\(viaChat)")
        #expect(incident["acknowledged_by"] as? String == "alice")
        #expect(incident["alerts"] is [Any], "the incident as GET /incidents/{id} shows it")

        let rest = try app.request(
            "POST", "/api/v1/incidents/\(viaREST)/acknowledge",
            json: #"{"by":"alice","note":"looking at it"}"#, key: key)
        #expect(rest.status == 200)
        let chatEntries = try app.chatTimeline("/api/v1/incidents/\(viaChat)").filter {
            $0.kind == "acknowledged"
        }
        let restEntries = try app.chatTimeline("/api/v1/incidents/\(viaREST)").filter {
            $0.kind == "acknowledged"
        }
        #expect(chatEntries.map(\.actor) == ["alice"])
        #expect(chatEntries.map(\.body) == restEntries.map(\.body))
        #expect(chatEntries.map(\.actor) == restEntries.map(\.actor))
    }

    @Test func runbookBangAckFormAcknowledgesWithTheQuotedNote() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let id = try app.makeChatIncident("API errors", key: key)
        // Seed 001: `!ack incident-id "Investigating issue"`.
        let response = try app.chat("!ack \(id) \"Investigating issue\"", user: "bob", key: key)
        #expect(response.status == 200)
        let entries = try app.chatTimeline("/api/v1/incidents/\(id)").filter { $0.kind == "acknowledged" }
        #expect(entries.map(\.actor) == ["bob"])
        #expect(entries.map(\.body) == ["Investigating issue"])
    }

    @Test func secondAckIsANoOpThatSaysWhoAcknowledged() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let id = try app.makeChatIncident("Disk full", key: key)
        #expect(try app.chat("ack INC-\(id)", user: "alice", key: key).status == 200)
        let again = try app.chat("ACK inc-\(id)", user: "bob", key: key)
        #expect(again.status == 200)
        #expect(again.json["ok"] as? Bool == true)
        #expect(again.json["changed"] as? Bool == false)
        #expect((again.json["text"] as? String)?.contains("already acknowledged by alice") == true)
        #expect(
            try app.chatTimeline("/api/v1/incidents/\(id)").filter { $0.kind == "acknowledged" }.count == 1)
    }

    @Test func resolveStatusUpdateAndNoteOnAnIncident() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let id = try app.makeChatIncident("Payments failing", severity: "SEV1", key: key)

        let update = try app.chat(
            "update INC-\(id) identified Bad deploy of payments-api", user: "carol", key: key)
        #expect(update.status == 200)
        #expect((update.json["incident"] as? [String: Any])?["status"] as? String == "identified")

        let note = try app.chat("note \(id) Rolling back to v41", user: "carol", key: key)
        #expect(note.status == 200)
        #expect(note.json["changed"] as? Bool == true)

        let status = try app.chat("status INC-\(id)", user: "dave", key: key)
        #expect(status.status == 200)
        #expect(status.json["changed"] as? Bool == false)
        let statusText = try #require(status.json["text"] as? String)
        #expect(statusText.contains("SEV1 · identified — Payments failing"))
        #expect(statusText.contains("Latest update"))
        #expect(statusText.contains("Bad deploy of payments-api"))

        let resolve = try app.chat("resolve INC-\(id) Rolled back", user: "carol", key: key)
        #expect(resolve.status == 200)
        #expect((resolve.json["incident"] as? [String: Any])?["resolution"] as? String == "Rolled back")

        let entries = try app.chatTimeline("/api/v1/incidents/\(id)")
        let byKind = Dictionary(entries.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byKind["status_changed"]?.actor == "carol")
        #expect(byKind["status_update"]?.body == "Bad deploy of payments-api")
        #expect(byKind["note"]?.actor == "carol")
        #expect(byKind["note"]?.body == "Rolling back to v41")
        #expect(byKind["resolved"]?.actor == "carol")
        #expect(byKind["resolved"]?.body == "Rolled back")
    }

    @Test func alertCommandsActOnAlerts() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let id = try app.makeChatAlert("Disk 91% on db-1", key: key)

        let status = try app.chat("status ALR-\(id)", user: "erin", key: key)
        #expect(status.status == 200)
        #expect((status.json["alert"] as? [String: Any])?["status"] as? String == "triggered")

        let ack = try app.chat("ack ALR-\(id) on it", user: "erin", key: key)
        #expect(ack.status == 200)
        #expect((ack.json["alert"] as? [String: Any])?["acknowledged_by"] as? String == "erin")

        let note = try app.chat("note alr-\(id) \"cleaning /var/log\"", user: "erin", key: key)
        #expect(note.status == 200)

        let resolve = try app.chat("resolve ALR-\(id) Logs rotated", user: "erin", key: key)
        #expect(resolve.status == 200)
        #expect((resolve.json["alert"] as? [String: Any])?["status"] as? String == "resolved")

        let entries = try app.chatTimeline("/api/v1/alerts/\(id)")
        #expect(entries.filter { $0.kind == "alert_acknowledged" }.map(\.actor) == ["erin"])
        #expect(entries.filter { $0.kind == "note" }.map(\.body) == ["cleaning /var/log"])
        #expect(entries.filter { $0.kind == "alert_resolved" }.map(\.actor) == ["erin"])
    }

    @Test func openListsOpenIncidentsMostSevereFirst() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let empty = try app.chat("open", key: key)
        #expect(empty.status == 200)
        #expect(empty.json["text"] as? String == "No open incidents.")

        let minor = try app.makeChatIncident("Typo on status page", severity: "SEV4", key: key)
        let major = try app.makeChatIncident("Checkout down", severity: "SEV1", key: key)
        let middle = try app.makeChatIncident("Slow search", severity: "SEV3", key: key)
        let closed = try app.makeChatIncident("Old outage", severity: "SEV1", key: key)
        #expect(try app.chat("resolve \(closed)", key: key).status == 200)

        let response = try app.chat("open", key: key)
        #expect(response.status == 200)
        let refs = (response.json["incidents"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String }
        #expect(refs == ["INC-\(major)", "INC-\(middle)", "INC-\(minor)"])
        let lines = (response.json["text"] as? String ?? "").split(separator: "\n")
        #expect(lines.first == "3 open incidents, most severe first:")
        #expect(lines.dropFirst().first?.contains("INC-\(major) SEV1") == true)
    }

    @Test func helpAndUnknownCommandsAnswerWithTheCommandList() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        let help = try app.chat("help", key: key)
        #expect(help.status == 200)
        #expect(help.json["ok"] as? Bool == true)
        #expect((help.json["text"] as? String)?.contains("ack <ref> [note]") == true)

        let unknown = try app.chat("reboot prod", key: key)
        #expect(unknown.status == 422)
        #expect(unknown.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect(unknown.json["ok"] as? Bool == false)
        #expect(unknown.json["error"] as? String == "usage")
        #expect((unknown.json["text"] as? String)?.hasPrefix("Unknown command 'reboot'.") == true)
        #expect((unknown.json["text"] as? String)?.contains("resolve <ref> [resolution]") == true)

        let missing = try app.chat("ack", key: key)
        #expect(missing.status == 422)
        #expect((missing.json["text"] as? String)?.contains("needs an incident or alert ref") == true)
    }

    @Test func unknownRefsAndResolvedTargetsAreClearFailures() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder)
        for text in [
            "ack INC-999", "resolve 999", "status ALR-999", "note INC-999 hello", "update 999 monitoring ok",
        ] {
            let response = try app.chat(text, key: key)
            #expect(response.status == 404, "\(text)")
            #expect(response.json["ok"] as? Bool == false, "\(text)")
            #expect(response.json["error"] as? String == "not_found", "\(text)")
            #expect((response.json["text"] as? String)?.contains("-999 was found") == true, "\(text)")
        }
        let id = try app.makeChatIncident("Done already", key: key)
        #expect(try app.chat("resolve INC-\(id) fixed", key: key).status == 200)
        for text in ["ack INC-\(id)", "resolve INC-\(id)", "update INC-\(id) monitoring watching"] {
            let response = try app.chat(text, key: key)
            #expect(response.status == 409, "\(text)")
            #expect(response.json["error"] as? String == "conflict", "\(text)")
            #expect((response.json["text"] as? String)?.contains("INC-\(id)") == true, "\(text)")
            #expect((response.json["text"] as? String)?.contains("resolved") == true, "\(text)")
        }
        // Notes stay allowed after resolution (post-mortem context).
        #expect(try app.chat("note INC-\(id) root cause was DNS", key: key).status == 200)
    }

    @Test func actorDefaultsToTheKeyNameAndBadInputIsRefused() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .responder, name: "ops-bot")
        let id = try app.makeChatIncident("Queue backlog", key: key)
        #expect(try app.chat("ack \(id)", key: key).status == 200)
        #expect(
            try app.chatTimeline("/api/v1/incidents/\(id)").first { $0.kind == "acknowledged" }?.actor
                == "ops-bot")

        let badUser = try app.chat("status \(id)", user: "two\nlines", key: key)
        #expect(badUser.status == 422)
        #expect(badUser.header("Content-Type") == "application/problem+json")
        let tooLong = try app.chat("note \(id) " + String(repeating: "x", count: 10_001), key: key)
        #expect(tooLong.status == 422)
        #expect(tooLong.json["error"] as? String == "invalid")
        let noText = try app.request("POST", "/api/v1/chat/command", json: #"{"user":"x"}"#, key: key)
        #expect(noText.status == 400)
    }

    @Test func viewersMayNotActAndBotsNeedAKey() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        #expect(try app.chat("open", key: viewer).status == 403)
        let anonymous = try app.request("POST", "/api/v1/chat/command", json: #"{"text":"open"}"#, key: nil)
        #expect(anonymous.status == 401)
    }
}
