import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// A responder that answers `/memo` from memory on the event loop and hands everything else to
/// a worker, counting the work that reached the workers.
private final class MemoResponder: HTTPResponder {
    let router = TestRoutes.router()
    let workerCalls = Mutex(0)

    func respond(to request: HTTPRequest) -> HTTPAnswer {
        if request.path == "/memo" { return .now(.json(bytes: Array(#"{"from":"memory"}"#.utf8))) }
        let answer = router.respond(to: request)
        return .onWorker { [self] in
            workerCalls.withLock { $0 += 1 }
            return answer.response()
        }
    }
}

/// `HTTPResponder.respond(to:)` answers on the loop or hands work to a worker; the server's
/// middleware finishes both kinds of answer.
@Suite struct AnswerPlacementTests {
    @Test func anAnswerMadeOnTheLoopSkipsTheWorkersWhileOtherRequestsStillReachThem() throws {
        let responder = MemoResponder()
        try TestServer.with(responder: responder) { _, port in
            let client = try RawHTTPClient(port: port)
            let memo = try client.exchange("GET /memo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(memo.status == 200 && memo.bodyText == #"{"from":"memory"}"#)
            #expect(memo.header("Content-Length") == "17" && memo.header("Date") != nil)
            #expect(responder.workerCalls.withLock { $0 } == 0)
            let routed = try client.exchange("GET /items/7 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(routed.status == 200)
            #expect(responder.workerCalls.withLock { $0 } == 1)
        }
    }

    @Test func middlewareTagsAnswersMadeOnTheLoopAndOnWorkersAndTurnsThemInto304() throws {
        try TestServer.with(responder: MemoResponder(), middleware: [RepresentationMiddleware()]) { _, port in
            let client = try RawHTTPClient(port: port)
            for path in ["/memo", "/items/7"] {
                let first = try client.exchange("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let tag = try #require(first.header("ETag"))
                let again = try client.exchange(
                    "GET \(path) HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(tag)\r\n\r\n")
                #expect(again.status == 304 && again.body.isEmpty && again.header("ETag") == tag)
            }
        }
    }
}
