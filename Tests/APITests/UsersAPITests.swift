import Foundation
import TestSupport
import Testing

/// `POST|GET /api/v1/users`, `GET|PATCH|DELETE /api/v1/users/{id}`, contact methods (issue 15).
@Suite struct UsersAPITests {
    @Test func peopleAreCreatedReadEditedAndDeleted() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.admin(
            "POST", "/api/v1/users",
            json:
                #"{"name":"Ana Lead","email":"ana@example.com","chat_user":"ana","time_zone":"America/Chicago"}"#
        )
        #expect(created.status == 201)
        let id = try #require((created.json["id"] as? NSNumber)?.int64Value)
        #expect(created.header("Location") == "/api/v1/users/\(id)")
        #expect(created.json["time_zone"] as? String == "America/Chicago")
        // Addresses and chat handles are unique whatever their case.
        #expect(
            try app.admin("POST", "/api/v1/users", json: #"{"name":"B","email":"ANA@example.com"}"#).status
                == 409)
        #expect(
            try app.admin("POST", "/api/v1/users", json: #"{"name":"B","chat_user":"Ana"}"#).status == 409)
        let patched = try app.admin(
            "PATCH", "/api/v1/users/\(id)", json: #"{"name":"Ana L.","chat_user":""}"#)
        #expect(patched.status == 200)
        #expect(patched.json["name"] as? String == "Ana L.")
        #expect(patched.json["chat_user"] is NSNull)
        #expect(patched.json["email"] as? String == "ana@example.com")
        let viewer = try app.makeKey(role: .viewer)
        let list = try app.request("GET", "/api/v1/users", key: viewer)
        #expect(list.status == 200)
        #expect((list.json["items"] as? [[String: Any]])?.count == 1)
        #expect(try app.request("POST", "/api/v1/users", json: #"{"name":"C"}"#, key: viewer).status == 403)
        #expect(try app.admin("DELETE", "/api/v1/users/\(id)").status == 204)
        #expect(try app.admin("GET", "/api/v1/users/\(id)").status == 404)
        // Every change left an audit row, as every mutating route does.
        let audit = try app.admin("GET", "/api/v1/audit?limit=50").bodyText
        for action in ["POST /api/v1/users", "PATCH /api/v1/users/{id}", "DELETE /api/v1/users/{id}"] {
            #expect(audit.contains(action), "\(action)")
        }
    }

    @Test func badPeopleAreRefusedNamingEveryField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let bad = try app.admin(
            "POST", "/api/v1/users", json: #"{"name":"","email":"nope","time_zone":"Mars/Olympus"}"#)
        #expect(bad.status == 422)
        #expect(bad.header("Content-Type")?.hasPrefix("application/problem+json") == true)
        #expect(problemFields(bad) == ["name", "email", "time_zone"])
    }

    @Test func contactMethodsAreValidatedAndAWebhookSecretIsShownOnce() throws {
        let app = try TestApp()
        defer { app.stop() }
        let id = try app.makeUser("Sam Senior")
        let path = "/api/v1/users/\(id)/contact-methods"
        let email = try app.admin("POST", path, json: #"{"kind":"email","to":"sam@example.com"}"#)
        #expect(email.status == 201)
        #expect(email.json["to"] as? String == "sam@example.com" && email.json["secret"] == nil)
        let webhook = try app.admin(
            "POST", path, json: #"{"kind":"webhook","url":"https://hooks.example.com/sam"}"#)
        #expect(webhook.status == 201)
        #expect(webhook.header("Cache-Control") == "no-store")
        let secret = try #require(webhook.json["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        let slack = try app.admin(
            "POST", path, json: #"{"kind":"slack","url":"https://hooks.slack.com/services/T0/B0/x"}"#)
        #expect(slack.status == 201)
        #expect(problemFields(try app.admin("POST", path, json: #"{"kind":"pager","to":"x"}"#)) == ["kind"])
        #expect(
            problemFields(try app.admin("POST", path, json: #"{"kind":"email","to":"not an address"}"#)) == [
                "to"
            ])
        #expect(
            problemFields(try app.admin("POST", path, json: #"{"kind":"webhook","url":"ftp://x.example"}"#))
                == ["url"])
        #expect(
            problemFields(
                try app.admin("POST", path, json: #"{"kind":"slack","url":"http://hooks.slack.com/x"}"#)) == [
                    "url"
                ])
        #expect(
            try app.admin(
                "POST", "/api/v1/users/999/contact-methods", json: #"{"kind":"email","to":"a@b.co"}"#
            ).status == 404)
        // The secret never appears again.
        let shown = try app.admin("GET", "/api/v1/users/\(id)")
        #expect((shown.json["contact_methods"] as? [[String: Any]])?.count == 3)
        #expect(!shown.bodyText.contains(secret))
        #expect(!(try app.admin("GET", path)).bodyText.contains(secret))
        let webhookID = try #require((webhook.json["id"] as? NSNumber)?.int64Value)
        #expect(try app.admin("DELETE", "\(path)/\(webhookID)").status == 204)
        #expect(try app.admin("DELETE", "\(path)/\(webhookID)").status == 404)
        #expect((try app.admin("GET", path).json["items"] as? [[String: Any]])?.count == 2)
    }

    @Test func aPersonOnARotationCannotBeDeleted() throws {
        let app = try TestApp()
        defer { app.stop() }
        let ana = try app.makeUser("Ana")
        _ = try app.makeSchedule([
            "name": "primary", "time_zone": "UTC",
            "layers": [["rotation": "weekly", "start": "2026-01-05T09:00:00", "participants": [ana]]],
        ])
        let refused = try app.admin("DELETE", "/api/v1/users/\(ana)")
        #expect(refused.status == 409)
        #expect(refused.bodyText.contains("primary"))
    }
}
