import Foundation
import Repositories
import TestSupport
import Testing

/// SPEC §11 timing (issue 16): every step of a policy is paged — written as deliveries and read
/// by a real webhook receiver — within 1.5 s of its due time, also while alerts are being
/// ingested by the same process.
@Suite struct EscalationTimingTests {
    /// Most a page may be late, from its step's due time to the receiver reading it.
    static let allowedLateness: TimeInterval = 1.5

    @Test func eachStepIsPagedWithinASecondAndAHalfOfItsDueTimeDuringAnAlertIngest() throws {
        let receiver = try PageReceiver()
        let server = try EscalationServer()
        defer { server.stop() }
        let setup = try EscalationSetup(
            port: server.port, key: server.adminKey, receiver: receiver, steps: 3, delay: 2,
            services: ["checkout", "payments"])
        // A modest ingest beside it: warning alerts on another service from four connections,
        // paced to about 200 a second in all, until the escalations are over.
        let ingest = Ingest(port: server.port, key: server.adminKey)
        ingest.start(perSecond: 200, threads: 4)
        let started = Date()
        try EscalationSetup.criticalAlert(
            port: server.port, key: server.adminKey, service: "checkout", dedupKey: "a")
        try EscalationSetup.criticalAlert(
            port: server.port, key: server.adminKey, service: "payments", dedupKey: "b")
        // 2 incidents × 3 steps, one webhook each; the last step at about +4 s.
        let arrived = try waitFor(15) { try receiver.pages().count >= 6 }
        let (rate, failed) = ingest.stop()
        let received = try receiver.pages()
        #expect(arrived, "pages received: \(received.count)")
        #expect(
            rate > 50 && failed == 0,
            "the ingest ran beside the escalation (\(Int(rate)) alerts/s, \(failed) failed)")
        let pages = received
        #expect(pages.count == 6)
        #expect(Set(pages.map { "\($0.incident ?? "?") \($0.step ?? 0)" }).count == 6, "each step once")
        for page in pages {
            let lateness = try #require(page.lateness)
            #expect(
                lateness <= Self.allowedLateness && lateness > -0.05,
                "\(page.incident ?? "?") step \(page.step ?? 0): \(lateness) s after its due time")
        }
        // Steps 2 and 3 waited their 2 s after the step before.
        let byIncident = Dictionary(grouping: pages) { $0.incident ?? "" }
        for (_, incidentPages) in byIncident {
            let due = incidentPages.sorted { ($0.step ?? 0) < ($1.step ?? 0) }.compactMap(\.dueAt)
            #expect(due.count == 3)
            for (earlier, later) in zip(due, due.dropFirst()) {
                #expect(later.timeIntervalSince(earlier) >= 2)
            }
        }
        // Rows agree: each page delivery was written within the allowed lateness of its due time.
        let late = try server.pool.withConnection { connection in
            try connection.query(
                """
                SELECT max(EXTRACT(EPOCH FROM d.created_at - (e.data ->> 'due_at')::timestamptz))::float8 AS late
                FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.page_incident_id IS NOT NULL
                """)[0].decode("late", as: Double.self)
        }
        #expect(late <= Self.allowedLateness)
        #expect(Date().timeIntervalSince(started) < 15)
        _ = setup
    }
}

/// Warning alerts sent at a steady pace from a few threads, each request on a new connection.
final class Ingest: @unchecked Sendable {
    private let port: Int
    private let key: String
    private let lock = NSLock()
    private var running = true
    private var sent = 0
    /// Requests that got no 2xx.
    private var failed = 0
    private var threads: [Thread] = []
    private var startedAt = Date()

    init(port: Int, key: String) {
        self.port = port
        self.key = key
    }

    func start(perSecond: Double, threads count: Int) {
        startedAt = Date()
        let interval = Double(count) / perSecond
        for index in 0..<count {
            let thread = Thread { [self] in
                var next = Date()
                var number = 0
                while lock.withLock({ running }) {
                    number += 1
                    let body =
                        #"{"service":"search","source":"probe","summary":"slow","severity":"warning","dedup_key":"k\#(index)-\#(number % 50)"}"#
                    do {
                        let status = try HTTPCall.send(
                            port: port, "POST", "/api/v1/alerts", json: body, key: key
                        )
                        .status
                        lock.withLock { if (200..<300).contains(status) { sent += 1 } else { failed += 1 } }
                    } catch {
                        lock.withLock { failed += 1 }
                    }
                    next = next.addingTimeInterval(interval)
                    let wait = next.timeIntervalSinceNow
                    if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                }
            }
            threads.append(thread)
            thread.start()
        }
    }

    /// Stops the senders; the alerts a second they got accepted, and how many were not.
    func stop() -> (rate: Double, failed: Int) {
        lock.withLock { running = false }
        Thread.sleep(forTimeInterval: 0.1)
        return lock.withLock { (Double(sent) / Date().timeIntervalSince(startedAt), failed) }
    }
}
