import API
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC §8: "an event committed through any server process reaches streams held on every
/// other process (LISTEN/NOTIFY), within 1 s". Two real `incidentd serve` processes on a
/// cluster of their own (no other test's transaction holds the log's horizon back).
@Suite struct StreamAcrossProcessesTests {
    @Test func aStreamOnOneProcessSeesEventsCommittedThroughAnotherWithinASecond() throws {
        let cluster = try PostgresTestCluster.start()
        defer { try? cluster.shutdown() }
        let database = try cluster.makeFreshDatabase()
        let (keyID, secret) = KeyFormat.newAPIKey()
        let connection = try database.connect()
        _ = try APIKeyRepository(connection).create(
            keyID: keyID, secretHash: KeyFormat.hash(secret), name: "cross", role: "admin", expiresAt: nil)
        connection.close()
        let a = try IncidentdProcess(conninfo: database.conninfo)
        defer { a.kill9() }
        let b = try IncidentdProcess(conninfo: database.conninfo)
        defer { b.kill9() }

        let stream = try SSEClient(port: a.port, target: "/api/v1/stream", key: secret)
        #expect(try stream.readHead() == 200)
        var latencies: [Duration] = []
        var lastID: String?
        for n in 1...20 {
            let client = try RawHTTPClient(port: b.port, timeout: .seconds(10))
            let body =
                #"{"service":"api","source":"b","summary":"n\#(n)","severity":"warning","dedup_key":"k\#(n)"}"#
            try client.send(
                "POST /api/v1/alerts HTTP/1.1\r\nHost: b\r\nAuthorization: Bearer \(secret)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let response = try client.readResponse()
            try #require(response.status == 201, "\(response.bodyText)")
            let committed = ContinuousClock.now
            let event = try #require(try stream.nextEvent(timeout: .seconds(5)))
            latencies.append(ContinuousClock.now - committed)
            #expect(event.type == "alert.triggered")
            #expect(event.data.contains("\"summary\":\"n\(n)\"") || event.data.contains("n\(n)"))
            lastID = event.id
        }
        let worst = try #require(latencies.max())
        #expect(worst < .seconds(1), "latencies: \(latencies)")
        print("cross-process stream latency over 20 events: worst \(worst), median \(latencies.sorted()[10])")

        // A reader that moves to the other process resumes there without a gap.
        stream.close()
        for n in 21...23 {
            let client = try RawHTTPClient(port: a.port, timeout: .seconds(10))
            let body =
                #"{"service":"api","source":"a","summary":"n\#(n)","severity":"warning","dedup_key":"k\#(n)"}"#
            try client.send(
                "POST /api/v1/alerts HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \(secret)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(try client.readResponse().status == 201)
        }
        let moved = try SSEClient(
            port: b.port, target: "/api/v1/stream", key: secret,
            headers: ["Last-Event-ID": try #require(lastID)])
        var resumed: [String] = []
        for _ in 0..<3 { resumed.append(try #require(try moved.nextEvent(timeout: .seconds(5))).data) }
        #expect(resumed.enumerated().allSatisfy { $0.element.contains("n\(21 + $0.offset)") })

        // SIGTERM with a stream open: the stream ends cleanly and the process exits 0.
        #expect(b.terminate() == 0)
        #expect(try moved.waitForEnd(timeout: .seconds(5)))
        #expect(moved.endedCleanly)
    }
}

extension IncidentdProcess {
    /// SIGTERM, as an operator stops it; returns its exit status.
    func terminate() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }
}
