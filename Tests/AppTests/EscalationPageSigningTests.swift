import Foundation
import TestSupport
import Testing

/// A page to a webhook contact method (SPEC §9, §10, §11) is the step's `incident.escalated`
/// event, signed with the method's own secret exactly as channel webhooks are: PyPI
/// `standardwebhooks` (a verifier we did not write) accepts what the receiver got.
@Suite struct EscalationPageSigningTests {
    @Test func aWebhookPageCarriesTheStepsEventSignedWithTheContactMethodsSecret() throws {
        let receiver = try PageReceiver()
        let server = try EscalationServer()
        defer { server.stop() }
        let user = try EscalationSetup.id(
            try server.request("POST", "/api/v1/users", json: #"{"name":"Ana"}"#).json)
        let method = try server.request(
            "POST", "/api/v1/users/\(user)/contact-methods",
            json: #"{"kind":"webhook","url":"\#(receiver.url(for: "ana"))"}"#)
        let secret = try #require(method.json["secret"] as? String)
        try HTTPCall.ok(
            port: server.port, "POST", "/api/v1/escalation-policies",
            json:
                #"{"name":"Solo","steps":[{"delay_seconds":60,"targets":[{"type":"user","id":\#(user)}]}]}"#,
            key: server.adminKey)
        try HTTPCall.ok(
            port: server.port, "POST", "/api/v1/services",
            json: #"{"name":"checkout","escalation_policy":"Solo"}"#,
            key: server.adminKey)
        try EscalationSetup.criticalAlert(
            port: server.port, key: server.adminKey, service: "checkout", dedupKey: "x")
        #expect(try waitFor(10) { try receiver.pages().count == 1 })
        let page = try #require(try receiver.pages().first)
        #expect(page.recipient == "ana" && page.step == 1 && page.loop == 1)
        let event = try #require(
            try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
        #expect(event["type"] as? String == "incident.escalated")
        #expect(((page.data["paged"] as? [[String: Any]])?.first)?["name"] as? String == "Ana")
        let script = """
            import json, sys
            from standardwebhooks.webhooks import Webhook
            record = json.loads(open(sys.argv[1]).readline())
            headers = {name.lower(): value for name, value in record["headers"]}
            Webhook(sys.argv[2]).verify(record["body"].encode(), headers)
            print("verified", headers["webhook-id"])
            """
        let output = try ReceiverProcess.run(
            tool: "python3", arguments: ["-c", script, receiver.recordFile, secret])
        #expect(output == "verified \(page.deliveryID ?? 0)\n")
    }
}
