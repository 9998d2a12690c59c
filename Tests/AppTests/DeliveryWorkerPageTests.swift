import App
import Domain
import Foundation
import Notifications
import Postgres
import Repositories
import TestSupport
import Testing

/// The sender with a contact method as target (issue 16): a page goes to the person's webhook
/// or mailbox like a channel's delivery of that kind, and dies like one.
@Suite struct DeliveryWorkerPageTests {
    /// Ana with a webhook and an e-mail contact method, paged by step 1 of a policy on
    /// `payments` for a SEV1 incident: two page deliveries.
    static func paged(_ fixture: DeliveryWorkerFixture) throws -> (webhook: String, incident: Int64) {
        let url = "http://receiver.test/ana"
        let incident = try fixture.pool.withTransaction { connection -> Int64 in
            let ana = try UserRepository(connection).create(
                try NewUser.validate(name: "Ana", email: nil, chatUser: nil, timeZone: nil))
            let methods = ContactMethodRepository(connection)
            _ = try methods.add(
                try NewContactMethod.validate(kind: "webhook", to: nil, url: url), userID: ana.id,
                secret: WebhookSecret.generate())
            _ = try methods.add(
                try NewContactMethod.validate(kind: "email", to: "ana@example.com", url: nil), userID: ana.id,
                secret: nil)
            let policy = try EscalationPolicyRepository(connection).create(
                try NewEscalationPolicy.validate(
                    EscalationPolicyInput(
                        name: "Solo",
                        steps: [.init(delaySeconds: 60, targets: [.init(type: "user", id: ana.id)])],
                        repeat: nil)), now: Date())
            _ = try ServiceRepository(connection).create(
                name: "payments", description: "", criticalAlertIncidentSeverity: "SEV1",
                escalationPolicyID: policy.id)
            let new = try NewIncident.validate(
                title: "Checkout down", severity: "SEV1", summary: nil, impact: nil, commander: nil,
                services: ["payments"], alertIDs: [], startedAt: nil, detectedAt: nil, now: Date())
            return try IncidentRepository(connection).create(
                new, actor: "alice", policy: .standard, now: Date()
            ).id
        }
        try fixture.pool.withTransaction { try EscalationRepository($0).fireDue(now: Date()) }
        return (url, incident)
    }

    @Test func aPageIsSentToEachContactMethodByItsKindAndTheWebhookIsSignedWithItsSecret() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let (url, incident) = try Self.paged(fixture)
        #expect(try fixture.worker().drain() == 2)
        let request = try #require(fixture.transport.requests.first)
        #expect(request.url == url && request.header("webhook-signature")?.hasPrefix("v1,") == true)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(event["type"] as? String == "incident.escalated")
        let mail = try #require(fixture.transport.mails.first)
        #expect(mail.to == ["ana@example.com"])
        #expect(mail.subject == "[SEV1] INC-\(incident) Checkout down — escalation step 1: paging Ana")
        #expect(try fixture.deliveries().filter { $0.page != nil }.allSatisfy { $0.state == .delivered })
    }

    @Test func aDeadPageAppendsDeliveryDeadNamingTheContactMethodForTheChannelsThatWatch() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let watcher = try fixture.channel("watcher", events: ["delivery.dead"])
        let (url, _) = try Self.paged(fixture)
        fixture.transport.script(url, [.status(410)])
        try fixture.worker().drain()
        let dead = try #require(try fixture.deliveries().first { $0.state == .dead })
        #expect(dead.contactMethodID != nil && dead.channelID == nil && dead.lastStatus == 410)
        var deadEvents: [Event] = []
        _ = try fixture.eventually {
            deadEvents = try fixture.pool.withConnection {
                try EventRepository($0).list(EventListFilter(types: ["delivery.dead"]), limit: 10).events
            }
            return !deadEvents.isEmpty
        }
        let event = try #require(deadEvents.first)
        #expect(event.data["contact_method_id"] == .integer(dead.contactMethodID ?? 0))
        #expect(event.data["channel_id"] == .null)
        #expect(try fixture.deliveries(event: event.id).map(\.channelID) == [watcher.id])
    }
}
