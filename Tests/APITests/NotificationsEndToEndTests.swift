import Foundation
import TestSupport
import Testing

/// Issue 14's first acceptance, end to end: a critical alert, through a real server whose
/// delivery workers use the real HTTP and SMTP clients, reaches a webhook receiver whose two
/// signatures are checked by the real verifiers (PyPI `standardwebhooks`; Debian's `webhook`
/// with a `payload-hmac-sha256` rule), an aiosmtpd inbox over STARTTLS (the follow-ups threaded)
/// and a Slack-shaped receiver.
@Suite struct NotificationsEndToEndTests {
    @Test func aCriticalAlertReachesAVerifiedWebhookAThreadedInboxAndSlack() throws {
        let inbox = try MailInbox()
        let receiver = try WebhookReceiver(control: ["answers": ["/slack": [[200, "ok"]]]])
        let app = try TestApp(outbound: try TestApp.loopbackOutbound(smtpURL: inbox.smtpURL))
        defer { app.stop() }
        try app.makeService("payments")
        let hook = try app.makeChannel(
            #"{"name":"hook","kind":"webhook","url":"\#(receiver.url("/signed"))","services":["payments"]}"#)
        let secret = try #require(hook["secret"] as? String)
        // The same request is verified twice: by the Python receiver with standardwebhooks, then
        // forwarded as received to `webhook`, which checks X-Incidentd-Signature.
        let adnanh = try AdnanhWebhook(secret: secret)
        try receiver.control([
            "secret": secret, "forward": ["/signed": adnanh.url], "answers": ["/slack": [[200, "ok"]]],
        ])
        let mail = try app.makeChannel(#"{"name":"inbox","kind":"email","to":["oncall@example.com"]}"#)
        let slack = try app.makeChannel(
            #"{"name":"slack","kind":"slack","url":"\#(receiver.url("/slack"))"}"#)

        let alert = try app.triggerCritical(service: "payments", summary: "Card auth failing")
        let incident = try #require(alert["incident"] as? String)
        let opened = try app.awaitDeliveries(channel: try #require(hook["id"]), count: 1, state: "delivered")
        #expect(opened.count == 1 && opened.first?["attempts"] as? Int == 1, "\(opened)")
        let first = try #require(try receiver.requests(path: "/signed").first)
        #expect(first.standardWebhooks == "verified")
        #expect(first.forwardedStatus == 200)
        #expect(first.header("webhook-id") == "\(opened[0]["id"] ?? "")")
        #expect(try adnanh.verifiedIDs() == [first.header("webhook-id") ?? "?"])
        #expect(first.json["type"] as? String == "incident.opened")
        #expect((first.json["subject"] as? [String: Any])?["ref"] as? String == incident)
        #expect(first.header("X-Incidentd-Signature")?.hasPrefix("sha256=") == true)

        let slackDelivered = try app.awaitDeliveries(
            channel: try #require(slack["id"]), count: 1, state: "delivered")
        #expect(slackDelivered.count == 1)
        let slackRequest = try #require(try receiver.requests(path: "/slack").first)
        #expect(slackRequest.json["text"] as? String != nil)
        #expect((slackRequest.json["blocks"] as? [Any])?.isEmpty == false)
        #expect(slackRequest.header("Content-Type") == "application/json")

        // Each follow-up waits for the mail before it: a mail replies to the delivered ones.
        let mailID = try #require(mail["id"])
        _ = try app.awaitDeliveries(channel: mailID, count: 1, state: "delivered")
        let acknowledged = try app.admin(
            "POST", "/api/v1/incidents/\(incident)/acknowledge", json: #"{"by":"alice","note":"on it"}"#)
        #expect(acknowledged.status == 200, "\(acknowledged.bodyText)")
        _ = try app.awaitDeliveries(channel: mailID, count: 2, state: "delivered")
        let resolved = try app.admin(
            "POST", "/api/v1/incidents/\(incident)/resolve",
            json: #"{"by":"alice","resolution":"Rolled back the card service"}"#)
        #expect(resolved.status == 200, "\(resolved.bodyText)")
        _ = try app.awaitDeliveries(channel: mailID, count: 3, state: "delivered")

        let mails = try inbox.mails()
        try #require(mails.count == 3, "\(mails.map(\.subject))")
        #expect(
            mails.allSatisfy { $0.to == ["oncall@example.com"] && $0.from.contains("alerts@incidentd.test") })
        #expect(
            mails[0].subject.contains(incident) && mails[0].inReplyTo.isEmpty && mails[0].references.isEmpty)
        #expect(mails[1].inReplyTo == mails[0].messageID && mails[1].references == [mails[0].messageID])
        #expect(
            mails[2].inReplyTo == mails[1].messageID
                && mails[2].references == [mails[0].messageID, mails[1].messageID])
        #expect(mails[2].body.contains("Rolled back the card service"))

        // The webhook got the follow-ups too, each verified by both verifiers.
        _ = try app.awaitDeliveries(channel: try #require(hook["id"]), count: 3, state: "delivered")
        let signed = try receiver.requests(path: "/signed")
        #expect(
            signed.compactMap { $0.json["type"] as? String }
                == ["incident.opened", "incident.acknowledged", "incident.resolved"])
        #expect(signed.allSatisfy { $0.standardWebhooks == "verified" && $0.forwardedStatus == 200 })
        #expect(try adnanh.verifiedIDs() == signed.compactMap { $0.header("webhook-id") })
    }

    @Test func aTamperedSignatureIsRefusedByBothVerifiers() throws {
        // The verifiers are not rubber stamps: the receiver with another secret refuses (401),
        // and `webhook` with another secret answers 500 (how it answers a bad signature).
        let receiver = try WebhookReceiver()
        let app = try TestApp(outbound: try TestApp.loopbackOutbound(backoff: "100ms"))
        defer { app.stop() }
        let hook = try app.makeChannel(
            #"{"name":"hook","kind":"webhook","url":"\#(receiver.url("/signed"))","events":["test"]}"#)
        let secret = try #require(hook["secret"] as? String)
        let wrong = "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        let adnanh = try AdnanhWebhook(secret: wrong)
        try receiver.control(["secret": secret, "forward": ["/signed": adnanh.url]])
        let test = try app.admin("POST", "/api/v1/channels/\(hook["id"] ?? "")/test")
        #expect(test.status == 202)
        // 500 is retried: two attempts (one delay), then dead.
        let dead = try app.awaitDeliveries(channel: try #require(hook["id"]), count: 1, state: "dead")
        #expect(dead.first?["last_status"] as? Int == 500, "\(dead)")
        let seen = try receiver.requests(path: "/signed")
        #expect(seen.count == 2 && seen.allSatisfy { $0.standardWebhooks == "verified" && $0.status == 500 })
        #expect(try adnanh.verifiedIDs().isEmpty)
        try receiver.control(["secret": wrong])
        let again = try app.admin("POST", "/api/v1/deliveries/\(dead.first?["id"] ?? "")/redeliver")
        #expect(again.status == 202)
        // A 401 is a 4xx: dead at once.
        let refused = try app.awaitDeliveries(channel: try #require(hook["id"]), count: 1, state: "dead")
        #expect(refused.first?["last_status"] as? Int == 401 && refused.first?["attempts"] as? Int == 1)
        let last = try receiver.requests(path: "/signed")
        #expect(
            last.count == 3 && last.last?.status == 401
                && last.last?.standardWebhooks?.hasPrefix("failed") == true)
    }
}
