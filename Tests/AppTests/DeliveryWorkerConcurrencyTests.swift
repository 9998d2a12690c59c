import API
import App
import Domain
import Foundation
import Notifications
import Postgres
import Repositories
import TestSupport
import Testing

/// SPEC §9: two processes never send the same attempt; a process killed mid-send loses no
/// delivery (at least once, same `webhook-id`); a NOTIFY wakes the workers. Scripted transport:
/// no network is involved.
@Suite struct DeliveryWorkerConcurrencyTests {
    @Test func twoProcessesSendEachDeliveryExactlyOnce() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        for index in 0..<4 { _ = try fixture.channel("c\(index)") }
        for incident in 1...50 {
            try fixture.append(fixture.incidentEvent(.incidentOpened, incident: Int64(incident)))
        }
        // Two "processes": their own pools and workers on one database, four senders each.
        let otherPool = fixture.database.makePool(maxConnections: 6)
        defer { otherPool.close() }
        var settings = DeliveryWorkerFixture.settings()
        settings.senders = 4
        settings.batchSize = 3
        let first = fixture.worker(settings)
        let second = DeliveryWorker(
            pool: otherPool, conninfo: fixture.database.conninfo, transport: fixture.transport,
            settings: settings,
            metrics: DeliveryMetrics())
        first.start()
        second.start()
        defer {
            first.stop()
            second.stop()
        }
        #expect(
            try fixture.eventually(30) {
                try fixture.deliveries().allSatisfy { $0.state == .delivered }
            })
        let ids = fixture.transport.requests.compactMap { $0.header("webhook-id") }
        #expect(ids.count == 200)
        #expect(Set(ids).count == 200, "no delivery sent twice")
        #expect(try fixture.deliveries().allSatisfy { $0.attempts == 1 })
    }

    @Test func aDeliveryClaimedByAProcessThatDiedIsSentWhenItsLeaseEndsWithTheSameWebhookID() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        _ = try fixture.channel("hooks")
        let eventID = try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        // A process claims (and would send) the delivery, then is killed before recording it.
        let lease: TimeInterval = 1
        let claimed = try fixture.pool.withTransaction {
            try DeliveryRepository($0).claim(now: Date(), limit: 10, lease: lease)
        }
        #expect(claimed.count == 1)
        let worker = fixture.worker(DeliveryWorkerFixture.settings(lease: lease))
        // While the dead process's lease runs, nobody else may send it.
        #expect(try worker.drain() == 0)
        Thread.sleep(forTimeInterval: lease + 0.1)
        #expect(try worker.drain() == 1)
        let delivery = try #require(try fixture.deliveries(event: eventID).first)
        #expect(delivery.state == .delivered && delivery.attempts == 2 && delivery.id == claimed[0].id)
        #expect(fixture.transport.requests.map { $0.header("webhook-id") } == [String(delivery.id)])
        // The dead process's late record of its attempt is ignored: the newer claim stands.
        let late = try fixture.pool.withTransaction {
            try DeliveryRepository($0).record(
                claimed[0],
                DeliveryAttemptRecord(result: .dead(disableChannel: false), status: 500, error: "late"),
                now: Date())
        }
        #expect(!late)
        #expect(try fixture.deliveries(event: eventID).first?.state == .delivered)
    }

    @Test func aNotifyWakesTheWorkerLongBeforeItsPollInterval() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        let channel = try fixture.channel("hooks")
        var settings = DeliveryWorkerFixture.settings()
        settings.pollInterval = 30
        let worker = fixture.worker(settings)
        worker.start()
        defer { worker.stop() }
        // Let its first look (which finds nothing) and its LISTEN happen.
        Thread.sleep(forTimeInterval: 0.5)
        let started = Date()
        try fixture.append(fixture.incidentEvent(.incidentOpened, incident: 1))
        #expect(fixture.eventually(10) { fixture.transport.requests.contains { $0.url == channel.url } })
        #expect(Date().timeIntervalSince(started) < 5)
    }
}
