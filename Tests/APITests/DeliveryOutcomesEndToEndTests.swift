import Foundation
import TestSupport
import Testing

/// SPEC §9's outcomes against real receivers on loopback, through a real server and its
/// delivery workers (the real HTTP and SMTP clients): retries with one `webhook-id`, dead
/// letters and their redelivery, a 410 disabling the channel, SMTP 5xx and 4xx.
@Suite struct DeliveryOutcomesEndToEndTests {
    @Test func aReceiverAnswering503ThreeTimesGetsOneDeliveryInFourAttemptsWithOneWebhookID() throws {
        let receiver = try WebhookReceiver(control: [
            "answers": ["/flaky": [[503, "busy"], [503, "busy"], [503, "busy"], [200, ""]]]
        ])
        let app = try TestApp(outbound: try TestApp.loopbackOutbound(backoff: "100ms,100ms,100ms"))
        defer { app.stop() }
        try app.makeService("api")
        let hook = try app.makeChannel(
            #"{"name":"flaky","kind":"webhook","url":"\#(receiver.url("/flaky"))"}"#)
        try receiver.control([
            "secret": try #require(hook["secret"] as? String),
            "answers": ["/flaky": [[503, "busy"], [503, "busy"], [503, "busy"], [200, ""]]],
        ])
        try app.triggerCritical(service: "api", summary: "API down")
        let delivered = try app.awaitDeliveries(
            channel: try #require(hook["id"]), count: 1, state: "delivered")
        #expect(delivered.first?["attempts"] as? Int == 4, "\(delivered)")
        let requests = try receiver.requests(path: "/flaky")
        #expect(requests.map(\.status) == [503, 503, 503, 200])
        #expect(Set(requests.compactMap { $0.header("webhook-id") }) == ["\(delivered.first?["id"] ?? "")"])
        #expect(requests.allSatisfy { $0.standardWebhooks == "verified" })
        // Each retry is signed afresh: its own timestamp may differ, the id and body do not.
        #expect(Set(requests.map(\.body)).count == 1)
    }

    @Test func a404IsDeadAtOnceWithADeliveryDeadEventAndIsRedeliveredOnceTheReceiverIsFixed() throws {
        let receiver = try WebhookReceiver(control: ["answers": ["/broken": [[404, "no such hook"]]]])
        let app = try TestApp(outbound: try TestApp.loopbackOutbound())
        defer { app.stop() }
        try app.makeService("api")
        let hook = try app.makeChannel(
            #"{"name":"broken","kind":"webhook","url":"\#(receiver.url("/broken"))"}"#)
        let hookID = try #require(hook["id"] as? Int)
        try app.triggerCritical(service: "api", summary: "API down")
        let dead = try app.awaitDeliveries(channel: hookID, count: 1, state: "dead")
        let delivery = try #require(dead.first)
        #expect(delivery["attempts"] as? Int == 1 && delivery["last_status"] as? Int == 404)
        #expect((delivery["last_error"] as? String)?.contains("no such hook") == true, "\(delivery)")
        #expect(try receiver.requests(path: "/broken").count == 1)
        let deadEvents = try app.awaitEvents(1, query: "types=delivery.dead")
        let event = try #require(deadEvents.first)
        #expect((event["subject"] as? [String: Any])?["id"] as? Int == delivery["id"] as? Int)
        let data = event["data"] as? [String: Any]
        #expect(data?["channel_id"] as? Int == hookID && data?["last_status"] as? Int == 404)
        // Listed among the dead letters.
        let listed = try app.admin("GET", "/api/v1/deliveries?state=dead").json["items"] as? [[String: Any]]
        #expect(listed?.compactMap { $0["id"] as? Int } == [delivery["id"] as? Int ?? -1])

        try receiver.control(["answers": ["/broken": [[200, ""]]]])
        let redelivered = try app.admin("POST", "/api/v1/deliveries/\(delivery["id"] ?? "")/redeliver")
        #expect(redelivered.status == 202, "\(redelivered.bodyText)")
        let fixed = try app.awaitDeliveries(channel: hookID, count: 1, state: "delivered")
        #expect(fixed.first?["id"] as? Int == delivery["id"] as? Int && fixed.first?["attempts"] as? Int == 1)
        let requests = try receiver.requests(path: "/broken")
        #expect(requests.map(\.status) == [404, 200])
        #expect(Set(requests.compactMap { $0.header("webhook-id") }).count == 1)
    }

    @Test func a410KillsTheDeliveryAndDisablesTheChannel() throws {
        let receiver = try WebhookReceiver(control: ["answers": ["/gone": [[410, "gone"]]]])
        let app = try TestApp(outbound: try TestApp.loopbackOutbound())
        defer { app.stop() }
        try app.makeService("api")
        let hook = try app.makeChannel(#"{"name":"gone","kind":"webhook","url":"\#(receiver.url("/gone"))"}"#)
        let hookID = try #require(hook["id"] as? Int)
        try app.triggerCritical(service: "api", summary: "API down", dedupKey: "one")
        let dead = try app.awaitDeliveries(channel: hookID, count: 1, state: "dead")
        #expect(dead.first?["last_status"] as? Int == 410 && dead.first?["attempts"] as? Int == 1)
        let channel = try app.admin("GET", "/api/v1/channels/\(hookID)").json
        #expect(channel["enabled"] as? Bool == false)
        #expect((channel["disabled_reason"] as? String)?.contains("410") == true, "\(channel)")
        // A disabled channel gets no more deliveries: the next incident's event is written, not
        // fanned out to it (another service: a new incident rather than the open one).
        try app.makeService("web")
        let second = try app.triggerCritical(service: "web", summary: "Web down", dedupKey: "two")
        let ref = try #require(second["incident"] as? String)
        let opened = try app.awaitEvents(2, query: "types=incident.opened")
        let refs = opened.compactMap { ($0["subject"] as? [String: Any])?["ref"] as? String }
        #expect(refs.contains(ref), "\(refs)")
        #expect(try app.deliveries(channel: hookID).count == 1)
        #expect(try receiver.requests(path: "/gone").count == 1)
    }

    @Test func anSMTP5xxIsDeadAtOnceAndA4xxIsRetried() throws {
        let inbox = try MailInbox(refusing: true)
        let app = try TestApp(
            outbound: try TestApp.loopbackOutbound(smtpURL: inbox.smtpURL, backoff: "100ms,100ms"))
        defer { app.stop() }
        try app.makeService("db")
        let unknown = try app.makeChannel(#"{"name":"unknown","kind":"email","to":"unknown@example.com"}"#)
        let busy = try app.makeChannel(#"{"name":"busy","kind":"email","to":"busy@example.com"}"#)
        let fine = try app.makeChannel(#"{"name":"fine","kind":"email","to":"oncall@example.com"}"#)
        try app.triggerCritical(service: "db", summary: "Replication lag")
        let refused = try app.awaitDeliveries(channel: try #require(unknown["id"]), count: 1, state: "dead")
        #expect(refused.first?["attempts"] as? Int == 1 && refused.first?["last_status"] as? Int == 550)
        #expect((refused.first?["last_error"] as? String)?.contains("User unknown") == true, "\(refused)")
        // 451: retried after each delay, then dead when none is left: three attempts.
        let retried = try app.awaitDeliveries(channel: try #require(busy["id"]), count: 1, state: "dead")
        #expect(
            retried.first?["attempts"] as? Int == 3 && retried.first?["last_status"] as? Int == 451,
            "\(retried)")
        let delivered = try app.awaitDeliveries(
            channel: try #require(fine["id"]), count: 1, state: "delivered")
        #expect(delivered.first?["last_status"] as? Int == 250)
        let mails = try inbox.mails()
        #expect(mails.count == 1 && mails.first?.to == ["oncall@example.com"])
    }
}
