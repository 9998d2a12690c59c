import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// How the server reads a request over a real socket: the total deadline, a client that
/// leaves in the middle, a body the server cannot decode.
@Suite struct RequestReadingTests {
    /// Records every request the server answered.
    final class Answered: Sendable {
        let requests = Mutex<[CompletedRequest]>([])
        var observer: @Sendable (CompletedRequest) -> Void {
            { completed in self.requests.withLock { $0.append(completed) } }
        }
        var all: [CompletedRequest] { requests.withLock { $0 } }
    }

    /// A 2 s total, with per-read timeouts longer than any gap the tests leave.
    static func totalOfTwoSeconds(_ configuration: inout HTTPServerConfiguration) {
        configuration.timeouts.requestRead = .seconds(2)
        configuration.timeouts.body = .seconds(1)
        configuration.timeouts.header = .seconds(10)
    }

    @Test func cutsABodyTrickledInsideTheBodyTimeoutAtTheTotalDeadline() throws {
        try TestServer.with(Self.totalOfTwoSeconds) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n")
            // One byte every 400 ms: never a 1 s stall, but 100 bytes would take 40 s.
            for _ in 0..<100 {
                guard (try? client.send("x")) != nil else { break }
                usleep(400_000)
                if TestServer.elapsed(since: start) > 2.6 { break }
            }
            let response = try client.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            let elapsed = TestServer.elapsed(since: start)
            #expect(elapsed >= 1.9 && elapsed < 3.2, "cut after \(elapsed) s")
            #expect(client.waitForClose())
        }
    }

    @Test func countsTheHeadAndTheBodyTowardsOneTotal() throws {
        try TestServer.with(Self.totalOfTwoSeconds) { _, port in
            let client = try RawHTTPClient(port: port)
            let start = ContinuousClock.now
            // The head alone takes 1.5 s, then the body stalls for less than its own timeout.
            for piece in ["POST /echo HTTP/1.1\r\n", "Host: t\r\n", "Content-Length: 4\r\n\r\n"] {
                try client.send(piece)
                usleep(500_000)
            }
            try client.send("ab")
            let response = try client.readResponse()
            #expect(response.status == 408)
            let elapsed = TestServer.elapsed(since: start)
            #expect(elapsed >= 1.9 && elapsed < 3.2, "cut after \(elapsed) s")
        }
    }

    @Test func servesARequestThatArrivesWithinTheTotal() throws {
        try TestServer.with(Self.totalOfTwoSeconds) { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nab")
            usleep(700_000)
            try client.send("cd")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "abcd")
            // The next request on the connection gets a fresh total.
            usleep(1_500_000)
            #expect(try client.exchange("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200)
        }
    }

    @Test(arguments: [
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc",
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Le",
    ])
    func closesAtOnceWhenTheClientLeavesInTheMiddleOfARequest(_ partial: String) throws {
        let answered = Answered()
        try TestServer.with(observer: answered.observer) { server, port in
            let client = try RawHTTPClient(port: port)
            try client.send(partial)
            let start = ContinuousClock.now
            client.shutdownWrite()
            // Default timeouts (10 s): a 408 would come far later than this.
            #expect(client.waitForClose(timeout: .seconds(2)), "closed without an answer")
            #expect(TestServer.elapsed(since: start) < 1)
            #expect(TestServer.eventually { server.openConnectionCount == 0 })
            #expect(answered.all.isEmpty, "nothing half-received is answered or reaches a handler")
        }
    }

    @Test func answersARequestCompletedJustBeforeTheClientLeaves() throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")
            client.shutdownWrite()
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "abc")
            #expect(client.waitForClose())
        }
    }

    /// A router whose one route answers how many milliseconds are left until the deadline.
    static func deadlineRouter() -> Router {
        var router = Router()
        router.add(.post, "/left", execution: .worker) { request in
            guard let deadline = request.deadline else { return .text("none") }
            let left = deadline - ContinuousClock.now
            return .text(
                String(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
        }
        return router
    }

    @Test func theDeadlineCountsFromTheEndOfTheHeadNotFromTheBody() throws {
        try TestServer.with({ $0.timeouts.requestDeadline = .seconds(3) }, responder: Self.deadlineRouter()) {
            _, port in
            let client = try RawHTTPClient(port: port)
            let bodyless = try client.exchange("POST /left HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            let immediate = try #require(Int(bodyless.bodyText))
            #expect(immediate > 2_800 && immediate <= 3_000, "\(immediate) ms left")
            // The body arrives 1 s after the head: that second is already spent.
            try client.send("POST /left HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n")
            usleep(1_000_000)
            try client.send("ok")
            let late = try #require(Int(try client.readResponse().bodyText))
            #expect(late > 1_700 && late <= 2_050, "\(late) ms left")
        }
    }

    @Test(arguments: ["gzip", "deflate", "br", "x-custom", "identity, gzip", "GZIP"])
    func refusesAContentEncodedBodyWith415WithoutRunningTheHandler(_ coding: String) throws {
        let answered = Answered()
        try TestServer.with(observer: answered.observer) { _, port in
            let client = try RawHTTPClient(port: port)
            let body = "\u{1F}\u{8B}gzip"
            let response = try client.exchange(
                "POST /greetings HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    + "Content-Encoding: \(coding)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            #expect(response.status == 415)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(response.header("Accept-Encoding") == "identity")
            #expect(response.bodyText.contains("\"status\":415"))
            // Refused before routing: no route matched, so no handler saw the body.
            #expect(TestServer.eventually { answered.all.count == 1 })
            #expect(answered.all.first?.routePattern == nil)
            #expect(answered.all.first?.status == 415)
        }
    }
}
