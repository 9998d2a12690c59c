import Testing

@testable import HTTPServer

@Suite struct HTTPRequestParserTests {
    @Test func parsesRequestLineHeadersAndQuery() throws {
        let request = try #require(
            ParserHarness.request(
                "GET /api/v1/alerts?status=open&q=disk+full HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n"))
        #expect(request.method == .get)
        #expect(request.target == "/api/v1/alerts?status=open&q=disk+full")
        #expect(request.path == "/api/v1/alerts")
        #expect(request.query["status"] == "open")
        #expect(request.query["q"] == "disk full")
        #expect(request.version == .http1_1)
        #expect(request.headers["x-a"] == "1")
        #expect(request.body.isEmpty)
    }

    @Test func decodesPercentEncodedPath() throws {
        let request = try #require(ParserHarness.request("GET /a%20b/%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(request.path == "/a b/é")
    }

    @Test func readsContentLengthBody() throws {
        let request = try #require(
            ParserHarness.request("POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"))
        #expect(request.body == Array("hello".utf8))
    }

    @Test func readsChunkedBodyAndIgnoresTrailers() throws {
        let request = try #require(
            ParserHarness.request(
                "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n1\r\n!\r\n0\r\nX-Checksum: abc\r\n\r\n"))
        #expect(request.body == Array("hello!".utf8))
        #expect(request.headers["X-Checksum"] == nil)
    }

    @Test func parsesTheSameWhenFedOneByteAtATime() {
        let text =
            "POST /e HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "GET /next HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
        var harness = ParserHarness()
        for byte in text.utf8 { harness.feed([byte]) }
        guard harness.outcomes.count == 2, case .request(let first) = harness.outcomes[0],
            case .request(let second) = harness.outcomes[1]
        else {
            Issue.record("expected two requests, got \(harness.outcomes)")
            return
        }
        #expect(first.body == Array("abc".utf8))
        #expect(second.path == "/next")
        #expect(second.body == Array("hi".utf8))
    }

    @Test func parsesPipelinedRequestsInOrder() {
        let outcomes = ParserHarness.parse(
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        let paths = outcomes.compactMap { outcome -> String? in
            if case .request(let request) = outcome { return request.path }
            return nil
        }
        #expect(paths == ["/1", "/2", "/3"])
    }

    @Test func reportsExpectContinueOnlyWhenABodyFollows() {
        var withBody = ParserHarness()
        withBody.feed(
            Array("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(withBody.continueRequests == 1)
        var http10 = ParserHarness()
        http10.feed(Array("POST /e HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        #expect(http10.continueRequests == 0)
    }

    @Test func refusesRequestLineOverLimitBeforeItEnds() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        #expect(
            ParserHarness.error("GET /" + String(repeating: "a", count: 100), limits: limits)
                == .requestLineTooLong)
    }

    @Test func refusesHeadersOverLimitBeforeTheyEnd() {
        var limits = HTTPLimits()
        limits.maxHeaderBytes = 64
        let text = "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 100)
        #expect(ParserHarness.error(text, limits: limits) == .headersTooLarge)
    }

    @Test func refusesContentLengthOverBodyLimitAtTheHead() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        #expect(
            ParserHarness.error("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n", limits: limits)
                == .bodyTooLarge)
    }

    @Test func refusesChunkedBodyOverLimitBeforeReadingTheChunk() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 10
        let text = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n"
        #expect(ParserHarness.error(text, limits: limits) == .bodyTooLarge)
    }

    @Test func staysFailedAfterAnError() {
        var harness = ParserHarness()
        harness.feed(Array("GET / HTTP/1.1\r\n Host: x\r\n\r\n".utf8))
        harness.feed(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        for outcome in harness.outcomes {
            guard case .error(.obsoleteLineFolding) = outcome else {
                Issue.record("a failed parser produced \(outcome)")
                continue
            }
        }
        #expect(harness.outcomes.count == 2)
    }

    @Test(arguments: [
        (
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            HTTPParseError.contentLengthWithTransferEncoding
        ),
        (
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            .conflictingContentLengths
        ),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n", .invalidContentLength),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n", .invalidContentLength),
        ("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferCoding),
        (
            "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n",
            .chunkedNotFinal
        ),
        ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", .multipleHosts),
        ("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .invalidHost),
        ("GET / HTTP/1.1\r\nHost: x\r\n\tfolded\r\n\r\n", .obsoleteLineFolding),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", .whitespaceBeforeColon),
        ("GET / HTTP/1.1\r\n: x\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", .invalidHeaderName),
        ("GET / HTTP/1.1\nHost: x\n\n", .invalidLineEnding),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", .unsupportedVersion),
        ("GET / HTTP/0.9\r\nHost: x\r\n\r\n", .unsupportedVersion),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .http2Preface),
        ("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", .invalidRequestLine),
        ("GET / HTTX/1.1\r\nHost: x\r\n\r\n", .invalidRequestLine),
        ("GET example.com HTTP/1.1\r\nHost: x\r\n\r\n", .invalidTarget),
        ("GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", .invalidTarget),
        ("GET / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n", .unsupportedExpectation),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n", .invalidChunkSize),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n", .invalidChunkSize),
        (
            "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1000000000000000\r\n",
            .invalidChunkSize
        ),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\naXY", .invalidChunkTerminator),
    ])
    func namesEveryRejection(_ text: String, _ expected: HTTPParseError) {
        #expect(ParserHarness.error(text) == expected)
    }

    @Test func mapsEveryRejectionToAClientOrServerErrorStatus() {
        for error in HTTPParseError.allCases {
            #expect((400...505).contains(error.status), "\(error)")
            #expect(!error.detail.isEmpty)
        }
        #expect(HTTPParseError.requestLineTooLong.status == 414)
        #expect(HTTPParseError.headersTooLarge.status == 431)
        #expect(HTTPParseError.bodyTooLarge.status == 413)
        #expect(HTTPParseError.unsupportedTransferCoding.status == 501)
        #expect(HTTPParseError.http2Preface.status == 505)
    }
}
