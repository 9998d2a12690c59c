import API
import Foundation
import HTTPServer
import TestSupport
import Testing

/// Every route of `Routes.all()` with NUL, SQL-injection text, overlong text, out-of-range
/// numbers and wrong JSON types in each query parameter and each body field in turn: never a
/// 5xx, and NUL always refused with a 400 that names where it was.
@Suite(.serialized) struct HostileInputSweepTests {
    /// One step of a path into a JSON document.
    enum Step {
        case key(String)
        case index(Int)
    }

    /// The objects the routes' `{id}` segments refer to.
    struct Fixture {
        let alert: String
        let incident: String
        let actionItem: String
        let apiKey: String
        let pagerDutyKey: String
        let alertmanagerKey: String
        /// Part two's objects, by the path prefix that names them.
        var others: [String: String] = [:]

        func path(_ pattern: String) -> String {
            let id: String
            switch pattern {
            case let text where text.hasPrefix("/api/v1/alerts/"): id = alert
            case let text where text.hasPrefix("/api/v1/incidents/"): id = incident
            case let text where text.hasPrefix("/api/v1/action-items/"): id = actionItem
            case let text where text.hasPrefix("/api/v1/api-keys/"): id = apiKey
            case let text where others.keys.contains(where: { text.hasPrefix($0) }):
                id = others.first { text.hasPrefix($0.key) }!.value
            default: id = "api"  // services, by name
            }
            return pattern.replacingOccurrences(of: "{id}", with: id)
                .replacingOccurrences(of: "{name}", with: "hb")
                .replacingOccurrences(
                    of: "{identifier}", with: alert.replacingOccurrences(of: "ALR-", with: ""))
        }

        func body(_ template: String) -> String {
            template.replacingOccurrences(of: "\"PD\"", with: "\"\(pagerDutyKey)\"")
                .replacingOccurrences(of: "ALR", with: alert).replacingOccurrences(of: "INC", with: incident)
        }
    }

    static func makeApp() throws -> TestApp {
        var settings = APISettings()
        // Bad routing keys are part of the sweep; the failure limit must not hide later answers.
        settings.maxAuthFailures = 1_000_000
        return try TestApp(settings: settings)
    }

    static func makeFixture(_ app: TestApp) throws -> Fixture {
        #expect(try app.admin("POST", "/api/v1/services", json: #"{"name":"api"}"#).status == 201)
        func routingKey(_ kind: String) throws -> String {
            let created = try app.admin(
                "POST", "/api/v1/services/api/integrations", json: #"{"name":"\#(kind)","kind":"\#(kind)"}"#)
            return try #require(created.json["routing_key"] as? String)
        }
        let alert = try app.admin(
            "POST", "/api/v1/alerts",
            json: #"{"service":"api","source":"p","summary":"Down","severity":"critical"}"#)
        let alertID = "ALR-\(try #require(alert.json["id"].map { "\($0)" }))"
        let incident = try app.admin(
            "POST", "/api/v1/incidents", json: #"{"title":"Outage","severity":"P2"}"#)
        let incidentID = "INC-\(try #require(incident.json["id"].map { "\($0)" }))"
        #expect(
            try app.admin("POST", "/api/v1/incidents/\(incidentID)/postmortem", json: #"{"force":true}"#)
                .status == 201)
        let item = try app.admin(
            "POST", "/api/v1/incidents/\(incidentID)/postmortem/action-items",
            json: #"{"owner":"o","action":"a"}"#)
        let itemID = try #require(item.json["id"].map { "\($0)" })
        let key = try app.admin("POST", "/api/v1/api-keys", json: #"{"name":"k","role":"viewer"}"#)
        let keyID = try #require(key.json["id"].map { "\($0)" })
        var fixture = Fixture(
            alert: alertID, incident: incidentID, actionItem: itemID, apiKey: keyID,
            pagerDutyKey: try routingKey("pagerduty"), alertmanagerKey: try routingKey("alertmanager"))
        fixture.others = try makePartTwoObjects(app)
        return fixture
    }

    /// A channel with a delivery, a user (id 1: the samples' participant), a schedule, the
    /// heartbeat `hb`, a status component and an escalation policy, for the part-two routes' `{id}` and `{name}`.
    static func makePartTwoObjects(_ app: TestApp) throws -> [String: String] {
        func id(_ method: String, _ path: String, _ json: String) throws -> String {
            let answer = try app.admin(method, path, json: json)
            return try #require(answer.json["id"].map { "\($0)" }, "\(path): \(answer.bodyText)")
        }
        let channel = try id(
            "POST", "/api/v1/channels", #"{"name":"c","kind":"webhook","url":"https://hooks.example.com/x"}"#)
        #expect(try app.admin("POST", "/api/v1/channels/\(channel)/test", json: "{}").status < 300)
        let deliveries = try app.admin("GET", "/api/v1/deliveries").json["items"] as? [[String: Any]] ?? []
        let delivery = try #require(deliveries.first?["id"].map { "\($0)" })
        let user = try id(
            "POST", "/api/v1/users", #"{"name":"Alice","email":"alice@example.com","time_zone":"UTC"}"#)
        let schedule = try id(
            "POST", "/api/v1/schedules",
            #"{"name":"primary","time_zone":"UTC","layers":[{"name":"l","rotation":"weekly","length":1,"#
                + #""start":"2026-01-05T09:00:00","participants":[\#(user)]}]}"#)
        #expect(
            try app.admin(
                "POST", "/api/v1/heartbeats", json: #"{"name":"hb","service":"api","interval_seconds":3600}"#
            ).status == 201)
        let component = try id("POST", "/api/v1/status/components", #"{"name":"API","services":["api"]}"#)
        let policy = try id(
            "POST", "/api/v1/escalation-policies",
            #"{"name":"ladder","steps":[{"delay_seconds":60,"targets":[{"type":"user","id":\#(user)}]}]}"#)
        return [
            "/api/v1/channels/": channel, "/api/v1/deliveries/": delivery, "/api/v1/users/": user,
            "/api/v1/schedules/": schedule, "/api/v1/status/components/": component,
            "/api/v1/escalation-policies/": policy,
        ]
    }

    static func key(for route: APIRoute, _ app: TestApp, _ fixture: Fixture) -> String? {
        if case .routingKey = route.access { return fixture.alertmanagerKey }
        return app.adminKey
    }

    @Test func everyRouteWithABodyHasASample() {
        let withBodies = Routes.all().filter {
            $0.method == .post || $0.method == .patch || $0.method == .put
        }
        for route in withBodies {
            let name = "\(route.method.rawValue) \(route.pattern)"
            #expect(HostileInputSamples.bodies[name] != nil, "no sample body for \(name)")
        }
    }

    @Test func queryParametersWithNULAreRefusedByNameAndHostileOnesNeverFail() throws {
        let names = try Self.documentedQueryParameters()
        #expect(names.isSuperset(of: ["service", "status", "limit", "cursor", "since", "actor", "owner"]))
        let app = try Self.makeApp()
        defer { app.stop() }
        let fixture = try Self.makeFixture(app)
        for route in Routes.all() {
            let path = fixture.path(route.pattern)
            let key = Self.key(for: route, app, fixture)
            for name in names.sorted() {
                let refused = try app.request(route.method.rawValue, "\(path)?\(name)=a%00b", key: key)
                #expect(refused.status == 400, "\(route.method) \(path) ?\(name)")
                #expect(Self.fields(of: refused) == [name], "\(route.method) \(path) ?\(name)")
                guard route.method == .get else { continue }
                // A stream accepted never ends: HEAD gives its status and head alone.
                let method = route.streams ? "HEAD" : "GET"
                for value in HostileInputSamples.hostileQueryValues {
                    let answer = try app.request(method, "\(path)?\(name)=\(value)", key: key)
                    #expect(
                        answer.status < 500, "GET \(path)?\(name)=\(value.prefix(40)): \(answer.bodyText)")
                }
            }
            let nameWithNUL = try app.request(route.method.rawValue, "\(path)?a%00=1", key: key)
            #expect(nameWithNUL.status == 400, "\(route.method) \(path) NUL in a parameter name")
        }
    }

    @Test func bodyFieldsWithNULAreRefusedByPathAndHostileOnesNeverFail() throws {
        let app = try Self.makeApp()
        defer { app.stop() }
        let fixture = try Self.makeFixture(app)
        for route in Routes.all() {
            let name = "\(route.method.rawValue) \(route.pattern)"
            guard let sample = HostileInputSamples.bodies[name] else { continue }
            let path = fixture.path(route.pattern)
            let key = Self.key(for: route, app, fixture)
            func send(_ body: [UInt8]) throws -> RawHTTPResponse {
                try app.request(
                    route.method.rawValue, path, key: key, body: body, contentType: sample.contentType)
            }
            if sample.contentType == HostileInputSamples.form {
                try sweepForm(fixture.body(sample.body), name: name, send: send)
                continue
            }
            let document = try JSONSerialization.jsonObject(with: Data(fixture.body(sample.body).utf8))
            for (path, value) in Self.members(of: document) {
                if value is String {
                    let answer = try send(
                        Self.encode(Self.replacing(document, at: path[...], with: "a\u{0}b")))
                    Self.expectNULAnswer(answer, route: name, naming: Self.render(path))
                }
                if case .key(let member) = path.last {
                    let renamed = Self.renamingKey(document, at: path[...], to: member + "\u{0}")
                    let answer = try send(Self.encode(renamed))
                    Self.expectNULAnswer(answer, route: name, naming: Self.render(path.dropLast()))
                }
                for hostile in HostileInputSamples.hostileJSONValues {
                    let answer = try send(Self.encode(Self.replacing(document, at: path[...], with: hostile)))
                    #expect(
                        answer.status < 500, "\(name) \(Self.render(path)) = \(hostile): \(answer.bodyText)")
                }
            }
        }
    }

    /// Routes that take a sender's own format answer NUL in that format's words, or clean it.
    static let nulAnswers: [String: NULAnswer] = [
        "POST /v2/enqueue": .pagerDutyInvalidEvent, "POST /v2/change/enqueue": .pagerDutyInvalidEvent,
        // Alertmanager drops a notification answered 4xx, so its text is cleaned instead.
        "POST /api/v1/integrations/alertmanager": .cleaned,
    ]

    enum NULAnswer {
        case problemNamingTheField
        case pagerDutyInvalidEvent
        case cleaned
    }

    static func expectNULAnswer(_ answer: RawHTTPResponse, route: String, naming field: String) {
        switch nulAnswers[route] ?? .problemNamingTheField {
        case .problemNamingTheField:
            #expect(answer.status == 400, "\(route) \(field)")
            #expect(fields(of: answer) == [field], "\(route) \(field)")
        case .pagerDutyInvalidEvent:
            #expect(answer.status == 400, "\(route) \(field)")
            let errors = answer.json["errors"] as? [String] ?? []
            #expect(
                errors.count == 1 && errors.first?.hasPrefix("'\(field)' must not") == true,
                "\(route) \(field)")
        case .cleaned:
            // Taken (a renamed member may leave a required one missing: a 400 for that).
            #expect(answer.status < 500 && !answer.bodyText.contains("U+0000"), "\(route) \(field)")
        }
    }

    /// Form fields (Slack): NUL refused by name, hostile values never a 5xx.
    func sweepForm(_ body: String, name: String, send: ([UInt8]) throws -> RawHTTPResponse) throws {
        let pairs = body.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }
        for (index, pair) in pairs.enumerated() {
            func with(_ value: String) -> [UInt8] {
                var copy = pairs
                copy[index] = [pair[0], value]
                return Array(copy.map { $0.joined(separator: "=") }.joined(separator: "&").utf8)
            }
            let refused = try send(with("a%00b"))
            #expect(refused.status == 400, "\(name) \(pair[0])")
            #expect(Self.fields(of: refused) == [pair[0]], "\(name) \(pair[0])")
            for value in HostileInputSamples.hostileQueryValues {
                #expect(try send(with(value)).status < 500, "\(name) \(pair[0])=\(value.prefix(40))")
            }
        }
    }

    // MARK: - JSON documents

    /// Every member of `value` (objects' members and arrays' elements, at any depth) with its path.
    static func members(of value: Any, at path: [Step] = []) -> [([Step], Any)] {
        var found: [([Step], Any)] = []
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                found.append((path + [.key(key)], object[key]!))
                found += members(of: object[key]!, at: path + [.key(key)])
            }
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated() {
                found.append((path + [.index(index)], element))
                found += members(of: element, at: path + [.index(index)])
            }
        }
        return found
    }

    static func replacing(_ value: Any, at path: ArraySlice<Step>, with replacement: Any) -> Any {
        guard let step = path.first else { return replacement }
        switch step {
        case .key(let key):
            var object = value as! [String: Any]
            object[key] = replacing(object[key]!, at: path.dropFirst(), with: replacement)
            return object
        case .index(let index):
            var array = value as! [Any]
            array[index] = replacing(array[index], at: path.dropFirst(), with: replacement)
            return array
        }
    }

    static func renamingKey(_ value: Any, at path: ArraySlice<Step>, to newKey: String) -> Any {
        if path.count == 1, case .key(let key) = path.first, var object = value as? [String: Any] {
            object[newKey] = object.removeValue(forKey: key)
            return object
        }
        switch path.first! {
        case .key(let key):
            var object = value as! [String: Any]
            object[key] = renamingKey(object[key]!, at: path.dropFirst(), to: newKey)
            return object
        case .index(let index):
            var array = value as! [Any]
            array[index] = renamingKey(array[index], at: path.dropFirst(), to: newKey)
            return array
        }
    }

    /// `alerts[0].labels.service`, as problems name fields; `body` for the whole document.
    static func render<S: Sequence<Step>>(_ path: S) -> String {
        var text = ""
        for step in path {
            switch step {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func encode(_ value: Any) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
    }

    /// The fields an error names: problem+json's `errors` list, or Opsgenie's `errors` object
    /// (its routes answer in Opsgenie's own error shape).
    static func fields(of response: RawHTTPResponse) -> [String] {
        if let byField = response.json["errors"] as? [String: Any] { return byField.keys.sorted() }
        return (response.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }

    /// Names of the query parameters docs/openapi.yaml declares (`name:` then `in: query`).
    static func documentedQueryParameters() throws -> Set<String> {
        let lines = try OpenAPIDocumentTests.document().split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var names: Set<String> = []
        for (index, line) in lines.enumerated() where line == "in: query" && index > 0 {
            let previous = lines[index - 1]
            guard let colon = previous.range(of: "name:") else { continue }
            names.insert(previous[colon.upperBound...].trimmingCharacters(in: .whitespaces))
        }
        return names
    }
}
