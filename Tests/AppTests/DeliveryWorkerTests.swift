import API
import App
import Domain
import Foundation
import Notifications
import Postgres
import Repositories
import TestSupport
import Testing

/// The delivery worker (SPEC §9) over a scripted transport: no network is involved here, only
/// the worker's claiming, outcome classification, backoff, dead letters and bookkeeping.
@Suite struct DeliveryWorkerTests {
    @Test func aReceiverFailingThreeTimesGetsOneDeliveryInFourAttemptsWithOneWebhookID() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let channel = try fixture.channel("hooks")
        fixture.transport.script(
            channel.url!,
            [.status(503), .status(503, body: "busy"), .failure(.init(.timeout, "timed out")), .status(200)])
        let eventID = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        let metrics = DeliveryMetrics()
        let worker = fixture.worker(metrics: metrics)
        worker.start()
        defer { worker.stop() }
        #expect(try fixture.eventually { try fixture.deliveries(event: eventID).first?.state == .delivered })
        let delivery = try #require(try fixture.deliveries(event: eventID).first)
        #expect(delivery.attempts == 4 && delivery.lastStatus == 200 && delivery.lastError == nil)
        let requests = fixture.transport.requests
        #expect(requests.count == 4)
        #expect(Set(requests.compactMap { $0.header("webhook-id") }) == [String(delivery.id)])
        #expect(Set(requests.map(\.body)).count == 1, "every retry sends the same body")
        #expect(metrics.attempts(.retried) == 3 && metrics.attempts(.delivered) == 1)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(requests[0].body)) as? [String: Any])
        #expect(json["id"] as? Int == Int(eventID) && json["type"] as? String == "incident.opened")
    }

    @Test func aFourOhFourIsDeadAtOnceWithADeliveryDeadEventAndRedeliveredAfterTheFix() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let channel = try fixture.channel("hooks", events: ["incident.*"])
        let watcher = try fixture.channel("watcher", events: ["delivery.dead"])
        fixture.transport.script(channel.url!, [.status(404, body: "no such hook")])
        let eventID = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        let worker = fixture.worker()
        #expect(try worker.drain() == 1)
        let dead = try #require(try fixture.deliveries(event: eventID).first)
        #expect(dead.state == .dead && dead.attempts == 1 && dead.lastStatus == 404)
        #expect(dead.lastError == "HTTP 404: no such hook")
        // The dead letter is an event of its own, which the watcher channel gets (not the dead one).
        var deadEvents: [Event] = []
        // Readable once older transactions of the shared test cluster have ended.
        _ = try fixture.eventually {
            deadEvents = try fixture.pool.withConnection {
                try EventRepository($0).list(EventListFilter(types: ["delivery.dead"]), limit: 10).events
            }
            return !deadEvents.isEmpty
        }
        let event = try #require(deadEvents.first)
        #expect(event.subject == .delivery(dead.id))
        #expect(
            event.data["channel_id"] == .integer(channel.id) && event.data["event_id"] == .integer(eventID))
        #expect(
            event.data["last_status"] == .integer(404) && event.data["last_error"] == "HTTP 404: no such hook"
        )
        #expect(try fixture.deliveries(event: event.id).map(\.channelID) == [watcher.id])
        // Fixed: redelivered, same id.
        fixture.transport.script(channel.url!, [.status(204)])
        let again = try fixture.pool.withTransaction {
            try DeliveryRepository($0).redeliver(id: dead.id, now: Date())
        }
        #expect(again.state == .pending && again.attempts == 0)
        try worker.drain()
        let delivered = try #require(try fixture.deliveries(event: eventID).first)
        #expect(delivered.state == .delivered && delivered.id == dead.id)
        let sent = fixture.transport.requests.filter { $0.url == channel.url }
        #expect(sent.count == 2 && sent.last?.header("webhook-id") == String(dead.id))
    }

    @Test func aFourTenDisablesTheChannelAndItsOtherDeliveriesWait() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let channel = try fixture.channel("gone")
        fixture.transport.script(channel.url!, [.status(410)])
        let first = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        let worker = fixture.worker()
        try worker.drain()
        #expect(try fixture.deliveries(event: first).first?.state == .dead)
        let stored = try #require(
            try fixture.pool.withConnection { try ChannelRepository($0).find(id: channel.id) })
        #expect(!stored.enabled && stored.disabledReason?.contains("410") == true)
        // A disabled channel gets no new deliveries, and nothing is sent to it.
        let second = try fixture.append(fixture.incidentEvent(.incidentResolved, incident: 1))
        #expect(try fixture.deliveries(event: second).isEmpty)
        #expect(try worker.drain() == 0)
        #expect(fixture.transport.requests.count == 1)
    }

    @Test func everyOtherFourHundredIsDeadAndTheScheduleEndsInDead() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let refused = try fixture.channel("refused")
        let flaky = try fixture.channel("flaky")
        fixture.transport.script(refused.url!, [.status(401)])
        fixture.transport.script(flaky.url!, [.status(500)])
        let eventID = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        let worker = fixture.worker(DeliveryWorkerFixture.settings(backoff: "1ms,1ms"))
        for _ in 0..<5 {
            try worker.drain()
            Thread.sleep(forTimeInterval: 0.01)
        }
        let byChannel = Dictionary(
            uniqueKeysWithValues: try fixture.deliveries(event: eventID).map { ($0.channelID!, $0) })
        #expect(byChannel[refused.id]?.state == .dead && byChannel[refused.id]?.attempts == 1)
        // Two delays: three attempts, then dead.
        #expect(byChannel[flaky.id]?.state == .dead && byChannel[flaky.id]?.attempts == 3)
        #expect(byChannel[flaky.id]?.lastStatus == 500)
    }

    @Test func retryAfterSetsTheNextAttempt() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let channel = try fixture.channel("throttled")
        fixture.transport.script(channel.url!, [.status(429, headers: [.init("Retry-After", "120")])])
        let eventID = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        let before = Date()
        try fixture.worker().drain()
        let delivery = try #require(try fixture.deliveries(event: eventID).first)
        #expect(delivery.state == .pending && delivery.lastStatus == 429)
        #expect(abs(delivery.nextAttemptAt.timeIntervalSince(before) - 120) < 10)
    }

    @Test func smtpFourHundredsAreRetriedFiveHundredsDeadAndMailsOfAnIncidentThread() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let mail = try fixture.channel(
            "mail", kind: .email, to: ["oncall@example.com"], events: ["incident.*"])
        let refused = try fixture.channel(
            "refused", kind: .email, to: ["nobody@example.com"], events: ["incident.*"])
        fixture.transport.script(
            "oncall@example.com",
            [.failure(.init(.smtp(code: 451, transient: true), "451 4.3.0 try again later")), .accepted])
        fixture.transport.script(
            "nobody@example.com",
            [.failure(.init(.smtp(code: 550, transient: false), "550 5.1.1 no such user"))])
        let opened = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 7))
        let worker = fixture.worker(DeliveryWorkerFixture.settings(backoff: "1ms"))
        try worker.drain()
        let first = Dictionary(
            uniqueKeysWithValues: try fixture.deliveries(event: opened).map { ($0.channelID!, $0) })
        #expect(first[refused.id]?.state == .dead && first[refused.id]?.lastStatus == 550)
        #expect(first[refused.id]?.lastError == "550 5.1.1 no such user")
        #expect(first[mail.id]?.state == .pending && first[mail.id]?.lastStatus == 451)
        Thread.sleep(forTimeInterval: 0.01)
        try worker.drain()
        #expect(try fixture.deliveries(event: opened, channel: mail.id).first?.state == .delivered)
        _ = try fixture.append(fixture.incidentEvent(.incidentAcknowledged, incident: 7))
        _ = try fixture.append(fixture.incidentEvent(.incidentResolved, incident: 7))
        try worker.drain()
        let mails = fixture.transport.mails.filter { $0.to == ["oncall@example.com"] }
        #expect(mails.count == 4)
        let sent = Array(mails.dropFirst())  // the refused first try had the same Message-ID
        #expect(sent[0].messageID == mails[0].messageID)
        #expect(sent[0].subject == "[SEV1] INC-7 Checkout down — incident opened")
        #expect(sent[1].inReplyTo == sent[0].messageID && sent[1].references == [sent[0].messageID])
        #expect(
            sent[2].inReplyTo == sent[1].messageID
                && sent[2].references == [sent[0].messageID, sent[1].messageID])
        #expect(sent[2].subject == "[SEV1] INC-7 Checkout down — resolved by alice")
    }
}
