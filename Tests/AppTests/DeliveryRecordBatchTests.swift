import Domain
import Foundation
import Postgres
import Repositories
import Testing

/// `recordAll` writes one batch's outcomes in one statement (column arrays unnested): each row
/// gets its own state, due time, status and error, absent ones stay NULL, and a delivery no
/// longer pending is left alone.
@Suite struct DeliveryRecordBatchTests {
    @Test func aBatchRecordsEachOutcomeWithItsOwnStatusErrorAndDueTime() throws {
        let fixture = try DeliveryWorkerFixture()
        defer { fixture.close() }
        _ = try fixture.channel("hooks")
        for incident in 1...4 {
            try fixture.append(fixture.incidentEvent(.incidentOpened, incident: Int64(incident)))
        }
        let claimed = try fixture.pool.withTransaction {
            try DeliveryRepository($0).claim(now: Date(), limit: 10, lease: 60)
        }
        #expect(claimed.count == 4)
        // A due time with microseconds, timestamptz's precision.
        let retryAt = Date(timeIntervalSince1970: 1_900_000_000.123456)
        // The fourth is recorded first: a second record of the same attempt finds it delivered.
        try fixture.pool.withTransaction {
            try DeliveryRepository($0).record(
                claimed[3], DeliveryAttemptRecord(result: .delivered, status: 200, error: nil), now: Date())
        }
        let now = Date()
        let recorded = try fixture.pool.withTransaction {
            try DeliveryRepository($0).recordAll(
                [
                    (claimed[0], DeliveryAttemptRecord(result: .delivered, status: 204, error: nil)),
                    (
                        claimed[1],
                        DeliveryAttemptRecord(
                            result: .retry(at: retryAt), status: nil, error: "connection refused")
                    ),
                    (
                        claimed[2],
                        DeliveryAttemptRecord(result: .dead(disableChannel: false), status: 404, error: "")
                    ),
                    (
                        claimed[3],
                        DeliveryAttemptRecord(
                            result: .dead(disableChannel: false), status: 500, error: "late")
                    ),
                ], now: now)
        }
        #expect(recorded == Set(claimed[0...2].map(\.id)))
        let rows = Dictionary(uniqueKeysWithValues: try fixture.deliveries().map { ($0.id, $0) })
        let delivered = try #require(rows[claimed[0].id])
        #expect(delivered.state == .delivered && delivered.lastStatus == 204 && delivered.lastError == nil)
        #expect(delivered.deliveredAt != nil)
        let retried = try #require(rows[claimed[1].id])
        #expect(retried.state == .pending && retried.lastStatus == nil)
        #expect(retried.lastError == "connection refused" && retried.deliveredAt == nil)
        #expect(abs(retried.nextAttemptAt.timeIntervalSince(retryAt)) < 0.000_002)
        let dead = try #require(rows[claimed[2].id])
        #expect(dead.state == .dead && dead.lastStatus == 404 && dead.lastError == "")
        let untouched = try #require(rows[claimed[3].id])
        #expect(untouched.state == .delivered && untouched.lastStatus == 200 && untouched.lastError == nil)
    }
}
