import Foundation
import HTTPServer
import Synchronization
import TestSupport
import Testing

/// A responder that answers `/memo` from memory on the event loop and counts what reaches
/// `respond(to:)`.
private final class MemoResponder: HTTPResponder {
    let router = TestRoutes.router()
    let respondCalls = Mutex(0)

    func execution(for request: HTTPRequest) -> HandlerExecution { .worker }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        respondCalls.withLock { $0 += 1 }
        return router.respond(to: request)
    }

    func immediateResponse(to request: HTTPRequest) -> HTTPResponse? {
        request.path == "/memo" ? .json(bytes: Array(#"{"from":"memory"}"#.utf8)) : nil
    }
}

/// `HTTPResponder.immediateResponse(to:)`: the event loop's shortcut for cached answers.
@Suite struct ImmediateResponseTests {
    @Test func immediateAnswerSkipsRespondAndTheWorkersWhileOtherRequestsStillReachThem() throws {
        let responder = MemoResponder()
        try TestServer.with(responder: responder) { _, port in
            let client = try RawHTTPClient(port: port)
            let memo = try client.exchange("GET /memo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(memo.status == 200 && memo.bodyText == #"{"from":"memory"}"#)
            #expect(memo.header("Content-Length") == "17" && memo.header("Date") != nil)
            #expect(responder.respondCalls.withLock { $0 } == 0)
            let routed = try client.exchange("GET /items/7 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(routed.status == 200)
            #expect(responder.respondCalls.withLock { $0 } == 1)
        }
    }

    @Test func pollingWrapperTagsImmediateAnswersAndTurnsThemInto304() throws {
        let polling = PollingResponder(wrapping: MemoResponder())
        try TestServer.with(responder: polling) { _, port in
            let client = try RawHTTPClient(port: port)
            let first = try client.exchange("GET /memo HTTP/1.1\r\nHost: t\r\n\r\n")
            let tag = try #require(first.header("ETag"))
            let again = try client.exchange("GET /memo HTTP/1.1\r\nHost: t\r\nIf-None-Match: \(tag)\r\n\r\n")
            #expect(again.status == 304 && again.body.isEmpty && again.header("ETag") == tag)
        }
    }
}
