import Domain
import Foundation
import Postgres
import Repositories
import Synchronization
import TestSupport
import Testing

/// SPEC §8: "with 8 concurrent writers and a reader that keeps resuming, the ids seen equal the
/// log (no gap, no duplicate)". Six writers go through the API; two hold their transaction open
/// after taking an event id, so later ids commit first (the trap ADR 0005 is about).
@Suite struct StreamResumeConcurrencyTests {
    @Test func eightWritersAndAReaderThatKeepsResumingSeeExactlyTheLog() throws {
        let app = try TestApp()
        defer { app.stop() }
        let before = try app.lastEventID()
        let perWriter = 12
        let writing = Atomic<Int>(8)
        let failures = Mutex<[String]>([])
        var threads: [Thread] = []
        for writer in 0..<8 {
            let thread = Thread {
                defer { writing.subtract(1, ordering: .relaxed) }
                do {
                    for n in 0..<perWriter {
                        if writer < 6 {
                            try StreamAPITests.trigger(app, "w\(writer)-\(n)")
                        } else {
                            // Takes an id now, commits 5-40 ms later: younger ids overtake it.
                            try app.pool.withTransaction { connection in
                                try EventRepository(connection).append(
                                    NewEvent(
                                        type: .test, actor: "writer-\(writer)",
                                        subject: EventSubject(kind: "test", id: nil, ref: nil)),
                                    now: Date())
                                Thread.sleep(forTimeInterval: Double.random(in: 0.005...0.04))
                            }
                        }
                    }
                } catch {
                    failures.withLock { $0.append("writer \(writer): \(error)") }
                }
            }
            threads.append(thread)
            thread.start()
        }
        // The reader: a few events per connection, then it hangs up and resumes with the last id.
        var seen: [Int] = []
        var connections = 0
        let deadline = ContinuousClock.now + .seconds(90)
        var settledSince: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            var headers: [String: String] = [:]
            let last = seen.last ?? before
            if last > 0 { headers["Last-Event-ID"] = String(last) }
            let client = try SSEClient(
                port: app.port, target: "/api/v1/stream", key: app.adminKey, headers: headers)
            connections += 1
            let wanted = Int.random(in: 1...7)
            var got = 0
            while got < wanted, let event = try? client.nextEvent(timeout: .milliseconds(300)) {
                seen.append(try #require(event.id.flatMap(Int.init)))
                got += 1
            }
            client.close()
            if writing.load(ordering: .relaxed) == 0 && got == 0 {
                // Writers done and a whole connection brought nothing: settled once twice in a row.
                if let since = settledSince, ContinuousClock.now - since > .milliseconds(500) { break }
                settledSince = settledSince ?? ContinuousClock.now
            } else {
                settledSince = nil
            }
        }
        for thread in threads where !thread.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let log = try app.events(after: before > 0 ? before : nil).compactMap { $0["id"] as? Int }
        #expect(log.count == 8 * perWriter)
        #expect(seen == log, "seen \(seen.count) over \(connections) connections, log \(log.count)")
        #expect(Set(seen).count == seen.count, "duplicates")
        #expect(connections > 10)
    }
}
