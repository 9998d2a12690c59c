import API
import Crypto
import Foundation
import Postgres
import TestSupport
import Testing

/// SPEC §5 and issue 4: keys, roles, revocation, expiry, audit, auth-failure limits.
@Suite struct AuthTests {
    @Test func roleMatrixForReadResponderAndAdminRoutes() throws {
        let app = try TestApp()
        defer { app.stop() }
        let keys = try Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, try app.makeKey(role: $0)) })
        for (role, key) in keys {
            let read = try app.request("GET", "/api/v1/services", key: key)
            #expect(read.status == 200, "GET as \(role)")
            let respond = try app.request(
                "POST", "/api/v1/incidents",
                json: #"{"title":"Checkout down (\#(role.rawValue))","severity":"P1"}"#,
                key: key)
            #expect(respond.status == (role == .viewer ? 403 : 201), "POST /incidents as \(role)")
            let create = try app.request(
                "POST", "/api/v1/services", json: #"{"name":"svc-\#(role.rawValue)"}"#, key: key)
            #expect(create.status == (role == .admin ? 201 : 403), "POST /services as \(role)")
            let keysList = try app.request("GET", "/api/v1/api-keys", key: key)
            #expect(keysList.status == (role == .admin ? 200 : 403), "GET /api-keys as \(role)")
        }
    }

    @Test func forbiddenAnswerIsProblemJSONNamingTheRole() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer)
        let response = try app.request(
            "POST", "/api/v1/api-keys", json: #"{"name":"x","role":"admin"}"#, key: viewer)
        #expect(response.status == 403)
        #expect(response.header("Content-Type") == "application/problem+json")
        #expect((response.json["detail"] as? String)?.contains("admin") == true)
    }

    @Test func missingMalformedUnknownRevokedAndExpiredKeysGet401() throws {
        let now = Date()
        let app = try TestApp()
        defer { app.stop() }
        let revoked = try app.makeKey(role: .admin, name: "to-revoke")
        let expired = try app.makeKey(role: .admin, name: "expired", expiresAt: now.addingTimeInterval(-60))
        let revokedID = try #require(try app.admin("GET", "/api/v1/api-keys").keyID(named: "to-revoke"))
        #expect(try app.admin("DELETE", "/api/v1/api-keys/\(revokedID)").status == 200)

        let cases: [(String, [(String, String)], String?)] = [
            ("missing", [], nil),
            ("malformed scheme", [("Authorization", "Basic dXNlcjpwYXNz")], nil),
            ("malformed empty bearer", [("Authorization", "Bearer ")], nil),
            ("unknown", [], "ikd_" + String(repeating: "a", count: 42)),
            ("not a key at all", [], "hello"),
            ("revoked", [], revoked),
            ("expired", [], expired),
        ]
        for (name, headers, key) in cases {
            let response = try app.request("GET", "/api/v1/services", key: key, headers: headers)
            #expect(response.status == 401, "\(name)")
            #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer") == true, "\(name)")
            #expect(response.header("Content-Type") == "application/problem+json", "\(name)")
        }
    }

    @Test func revokedKeyFailsOnTheVeryNextRequest() throws {
        let app = try TestApp()
        defer { app.stop() }
        let key = try app.makeKey(role: .viewer, name: "rotating")
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 200)
        let id = try #require(try app.admin("GET", "/api/v1/api-keys").keyID(named: "rotating"))
        #expect(try app.admin("DELETE", "/api/v1/api-keys/\(id)").status == 200)
        #expect(try app.request("GET", "/api/v1/services", key: key).status == 401)
    }

    @Test func createdKeyWorksAndItsSecretIsStoredOnlyAsAHash() throws {
        let app = try TestApp()
        defer { app.stop() }
        let created = try app.admin(
            "POST", "/api/v1/api-keys", json: #"{"name":"ci-bot","role":"responder"}"#)
        #expect(created.status == 201)
        let secret = try #require(created.json["key"] as? String)
        #expect(secret.hasPrefix("ikd_"))
        #expect(try app.request("GET", "/api/v1/services", key: secret).status == 200)
        // Listing never shows secrets.
        #expect(!(try app.admin("GET", "/api/v1/api-keys").bodyText.contains(secret)))

        let connection = try app.database.connect()
        defer { connection.close() }
        // Every table, every column, as text: the secret appears nowhere.
        let tables = try connection.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).map { try $0.decode("tablename", as: String.self) }
        for table in tables {
            let rows = try connection.query(
                "SELECT count(*)::int8 AS hits FROM \(identifier: table) t WHERE t::text LIKE \("%" + secret + "%")"
            )
            #expect(try rows[0].decode("hits", as: Int64.self) == 0, "secret found in \(table)")
        }
        let stored = try connection.query("SELECT secret_hash FROM api_keys WHERE name = 'ci-bot'")
        #expect(try stored[0].decode("secret_hash", as: [UInt8].self) == Crypto.sha256(secret))
    }

    @Test func elevenFailuresFromOneAddressAreRefusedWhileGoodKeysAndOtherAddressesStillAuthenticate() throws
    {
        let app = try TestApp(host: nil)
        defer { app.stop() }
        let good = try app.makeKey(role: .viewer)
        let bad = "ikd_" + String(repeating: "b", count: 42)
        var statuses: [Int] = []
        for _ in 0..<12 {
            statuses.append(try app.request("GET", "/api/v1/services", key: bad, from: "127.0.0.1").status)
        }
        #expect(Array(statuses.prefix(11)) == Array(repeating: 401, count: 11))
        #expect(statuses[11] == 429)
        // A good key from the address over its budget still works (issue 20); a bad one or
        // none gets 429 with Retry-After...
        #expect(try app.request("GET", "/api/v1/services", key: good, from: "127.0.0.1").status == 200)
        let blocked = try app.request("GET", "/api/v1/services", key: nil, from: "127.0.0.1")
        #expect(blocked.status == 429)
        #expect(Int(blocked.header("Retry-After") ?? "") ?? 0 > 0)
        // ...while another address is unaffected.
        #expect(try app.request("GET", "/api/v1/services", key: good, from: "::1").status == 200)
        #expect(try app.request("GET", "/api/v1/services", key: bad, from: "::1").status == 401)
    }

    @Test func mutatingRequestsAndAuthRefusalsAreAudited() throws {
        let app = try TestApp()
        defer { app.stop() }
        let viewer = try app.makeKey(role: .viewer, name: "auditor-viewer")
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"payments"}"#).status == 201)
        #expect(
            try app.request("POST", "/api/v1/services", json: #"{"name":"x"}"#, key: viewer).status == 403)
        #expect(try app.request("GET", "/api/v1/services", key: nil).status == 401)
        // Reads are not audited.
        #expect(try app.admin("GET", "/api/v1/services").status == 200)

        let audit = try app.admin("GET", "/api/v1/audit")
        let items = try #require(audit.json["items"] as? [[String: Any]])
        let summary = items.map { "\($0["actor_name"] ?? "") \($0["action"] ?? "") \($0["status"] ?? "")" }
        #expect(
            summary == [
                "test-admin POST /api/v1/services 201",
                "auditor-viewer POST /api/v1/services 403",
                "anonymous GET /api/v1/services 401",
            ])
        #expect(items.allSatisfy { ($0["remote_address"] as? String) == "127.0.0.1" })
        #expect(items.allSatisfy { !(($0["request_id"] as? String) ?? "").isEmpty })
        let filtered = try app.admin("GET", "/api/v1/audit?actor=auditor-viewer")
        #expect((filtered.json["items"] as? [Any])?.count == 1)
    }

    @Test func routingKeySendsAlertsOnlyToItsServiceAndIsTheAuditedActor() throws {
        let app = try TestApp()
        defer { app.stop() }
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"api"}"#).status == 201)
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"billing"}"#).status == 201)
        let integration = try app.admin(
            "POST", "/api/v1/services/api/integrations", json: #"{"name":"prom"}"#)
        let routingKey = try #require(integration.json["routing_key"] as? String)
        let own = try app.request(
            "POST", "/api/v1/alerts", json: #"{"source":"prom","summary":"disk full","severity":"warning"}"#,
            key: routingKey)
        #expect(own.status == 201)
        #expect(own.json["service"] as? String == "api")
        let other = try app.request(
            "POST", "/api/v1/alerts",
            json: #"{"service":"billing","source":"prom","summary":"disk full","severity":"warning"}"#,
            key: routingKey)
        #expect(other.status == 403)
        let audit = try app.admin("GET", "/api/v1/audit?actor=api/prom")
        let rows = try #require(audit.json["items"] as? [[String: Any]])
        #expect(rows.map { $0["actor_kind"] as? String } == ["routing_key", "routing_key"])
        #expect(rows.map { $0["status"] as? Int } == [201, 403])
    }

    @Test func routingKeysCannotReadAnything() throws {
        let app = try TestApp()
        defer { app.stop() }
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"api"}"#).status == 201)
        let integration = try app.admin(
            "POST", "/api/v1/services/api/integrations", json: #"{"kind":"alertmanager"}"#)
        #expect(integration.status == 201)
        let routingKey = try #require(integration.json["routing_key"] as? String)
        #expect(routingKey.count == 32)
        #expect(try app.request("GET", "/api/v1/services", key: routingKey).status == 401)
    }

    @Test func apiKeyValidationNamesEveryBadField() throws {
        let app = try TestApp()
        defer { app.stop() }
        let response = try app.admin(
            "POST", "/api/v1/api-keys",
            json: #"{"name":"","role":"owner","expires_at":"2001-01-01T00:00:00Z"}"#)
        #expect(response.status == 422)
        let fields = (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
        #expect(fields == ["name", "role", "expires_at"])
    }
}

extension RawHTTPResponse {
    /// The id of the key named `name` in a `GET /api/v1/api-keys` answer.
    func keyID(named name: String) -> Int? {
        (json["items"] as? [[String: Any]])?.first { $0["name"] as? String == name }?["id"] as? Int
    }
}
