import API
import Foundation
import Outbound
import TestSupport
import Testing

/// SPEC §9's SSRF guard when a channel is made or changed (a 422 naming `url` unless
/// `INCIDENTD_OUTBOUND_ALLOW` allows the range), bad channel input as problem+json naming the
/// field, and a server whose receivers are dead or hanging staying ready.
@Suite struct ChannelDestinationTests {
    @Test func destinationsInRestrictedRangesAreRefusedUnlessAllowed() throws {
        let app = try TestApp()
        defer { app.stop() }
        for url in [
            "http://127.0.0.1:9000/hook", "http://10.1.2.3/hook", "https://192.168.0.10/x",
            "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/", "http://[fd00::1]/",
            "http://[::ffff:127.0.0.1]/", "http://localhost:9000/hook", "http://100.100.100.200/",
        ] {
            let response = try app.admin(
                "POST", "/api/v1/channels", json: #"{"name":"x","kind":"webhook","url":"\#(url)"}"#)
            #expect(response.status == 422, "\(url): \(response.bodyText)")
            #expect(response.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
            #expect(response.errorFields == ["url"], "\(url): \(response.bodyText)")
        }
        let slack = try app.admin(
            "POST", "/api/v1/channels",
            json: #"{"name":"s","kind":"slack","url":"http://172.16.0.1/services/x"}"#)
        #expect(slack.status == 422 && slack.errorFields == ["url"])
        // A PATCH to such a URL is refused too; the channel keeps its URL.
        let public_ = try app.makeChannel(
            #"{"name":"ok","kind":"webhook","url":"https://hooks.example.com/a"}"#)
        let patched = try app.admin(
            "PATCH", "/api/v1/channels/\(public_["id"] ?? "")", json: #"{"url":"http://127.0.0.1:5432/"}"#)
        #expect(patched.status == 422 && patched.errorFields == ["url"], "\(patched.bodyText)")
        #expect(
            try app.admin("GET", "/api/v1/channels/\(public_["id"] ?? "")").json["url"] as? String
                == "https://hooks.example.com/a")
        // A name that does not resolve is not refused here: the connect-time check decides.
        #expect(
            try app.admin(
                "POST", "/api/v1/channels",
                json: #"{"name":"later","kind":"webhook","url":"https://not-yet.invalid/hook"}"#
            ).status == 201)
    }

    @Test func theAllowListLetsItsRangesThroughAndOnlyThose() throws {
        var settings = APISettings()
        settings.outboundPolicy = try DestinationPolicy(allowList: "127.0.0.0/8, 10.20.0.0/16")
        let app = try TestApp(settings: settings)
        defer { app.stop() }
        for (index, url) in ["http://127.0.0.1:9000/hook", "http://10.20.3.4/hook", "http://localhost:1/x"]
            .enumerated()
        {
            let response = try app.admin(
                "POST", "/api/v1/channels", json: #"{"name":"a\#(index)","kind":"webhook","url":"\#(url)"}"#)
            #expect(response.status == 201, "\(url): \(response.bodyText)")
        }
        let outside = try app.admin(
            "POST", "/api/v1/channels", json: #"{"name":"b","kind":"webhook","url":"http://10.21.0.1/hook"}"#)
        #expect(outside.status == 422 && outside.errorFields == ["url"])
    }

    @Test func badChannelInputIsAProblemNamingEachField() throws {
        let app = try TestApp()
        defer { app.stop() }
        for (body, fields) in [
            (#"{"name":"a","kind":"pager","url":"https://h.example.com/"}"#, ["kind"]),
            (#"{"name":"a","kind":"webhook","url":"hooks.example.com/x"}"#, ["url"]),
            (#"{"name":"a","kind":"webhook","url":"https://user:pw@hooks.example.com/x"}"#, ["url"]),
            (#"{"name":"a","kind":"email","to":["oncall@example.com","not an address"]}"#, ["to[1]"]),
            (
                #"{"name":"a","kind":"webhook","url":"https://h.example.com/","events":["incident.vanished"]}"#,
                ["events[0]"]
            ),
            (
                #"{"name":"a","kind":"webhook","url":"https://h.example.com/","services":["no-such"]}"#,
                ["services[0]"]
            ),
            (
                #"{"name":"a","kind":"webhook","url":"http://10.0.0.1/","services":["no-such"]}"#,
                ["url", "services[0]"]
            ),
        ] {
            let response = try app.admin("POST", "/api/v1/channels", json: body)
            #expect(response.status == 422, "\(body): \(response.bodyText)")
            #expect(response.headers["Content-Type"]?.hasPrefix("application/problem+json") == true)
            #expect(response.errorFields == fields, "\(body): \(response.bodyText)")
        }
    }

    @Test func readinessIsUnaffectedByDeadAndHangingReceivers() throws {
        // One receiver that never answers (it holds the senders for the HTTP timeout) and one
        // port nobody listens on: the workers keep failing, /readyz keeps answering at once.
        let hanging = try WebhookReceiver(control: ["delay": ["/hang": 30]])
        let closed = try ClosedPort()
        defer { withExtendedLifetime(closed) {} }
        var outbound = try TestApp.loopbackOutbound(backoff: "100ms,100ms")
        outbound["INCIDENTD_HTTP_TIMEOUT"] = "3s"
        let app = try TestApp(outbound: outbound)
        defer { app.stop() }
        try app.makeService("api")
        let hang = try app.makeChannel(#"{"name":"hang","kind":"webhook","url":"\#(hanging.url("/hang"))"}"#)
        let dead = try app.makeChannel(
            #"{"name":"dead","kind":"webhook","url":"http://127.0.0.1:\#(closed.port)/x"}"#)
        for index in 0..<3 {
            try app.triggerCritical(service: "api", summary: "down \(index)", dedupKey: "k\(index)")
        }
        // While the senders wait on the hanging receiver:
        let hangID = try #require(hang["id"])
        #expect(
            try eventually {
                try app.deliveries(channel: hangID).contains { ($0["attempts"] as? Int ?? 0) >= 1 }
            })
        Thread.sleep(forTimeInterval: 0.5)
        for _ in 0..<10 {
            let start = Date()
            let ready = try app.request("GET", "/readyz", key: nil)
            #expect(ready.status == 200, "\(ready.bodyText)")
            #expect(Date().timeIntervalSince(start) < 1)
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(
            try eventually(40) {
                try app.deliveries(channel: try #require(dead["id"]), state: "dead").count == 3
            })
        #expect(try app.request("GET", "/readyz", key: nil).status == 200)
        let failed = try app.deliveries(channel: try #require(dead["id"]))
        #expect(failed.allSatisfy { ($0["last_error"] as? String)?.contains("refused") == true }, "\(failed)")
    }

    @Test func metricsCountRealDeliveriesByStateAttemptsAndLatency() throws {
        let receiver = try WebhookReceiver(control: [
            "answers": ["/ok": [[200, ""]], "/flaky": [[503, ""], [200, ""]], "/gone": [[404, ""]]]
        ])
        let app = try TestApp(outbound: try TestApp.loopbackOutbound(backoff: "100ms"))
        defer { app.stop() }
        try app.makeService("api")
        var ids: [Any] = []
        for path in ["/ok", "/flaky", "/gone"] {
            let channel = try app.makeChannel(
                #"{"name":"\#(path.dropFirst())","kind":"webhook","url":"\#(receiver.url(path))"}"#)
            ids.append(try #require(channel["id"]))
        }
        try app.triggerCritical(service: "api", summary: "API down")
        _ = try app.awaitDeliveries(channel: ids[0], count: 1, state: "delivered")
        _ = try app.awaitDeliveries(channel: ids[1], count: 1, state: "delivered")
        _ = try app.awaitDeliveries(channel: ids[2], count: 1, state: "dead")
        // As `incidentd serve` does: the outbox gauge reads the database at scrape time.
        app.environment.metrics.attach(server: app.server, pool: app.pool, environment: app.environment)
        let text = try app.request("GET", "/metrics", key: nil).bodyText
        for line in [
            #"incidentd_deliveries{state="pending"} 0"#, #"incidentd_deliveries{state="dead"} 1"#,
            #"incidentd_delivery_attempts_total{outcome="delivered"} 2"#,
            #"incidentd_delivery_attempts_total{outcome="retried"} 1"#,
            #"incidentd_delivery_attempts_total{outcome="dead"} 1"#,
            "incidentd_delivery_latency_seconds_count 2",
        ] {
            #expect(text.contains(line + "\n"), "\(line) in\n\(text)")
        }
        // The latency is real: the retried one waited at least the 100 ms backoff.
        let sum = text.split(separator: "\n").first {
            $0.hasPrefix("incidentd_delivery_latency_seconds_sum ")
        }
        let seconds = sum.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
        #expect(seconds > 0.1 && seconds < 20, "\(sum ?? "no sum")")
    }
}
