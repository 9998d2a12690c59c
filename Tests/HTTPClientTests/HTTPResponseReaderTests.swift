import Testing

@testable import HTTPClient

/// Response framing from byte strings, fed in pieces of every size to catch boundary bugs.
@Suite struct HTTPResponseReaderTests {
    func read(_ text: String, method: String = "GET", limit: Int = 1024, pieceSize: Int = 1_000_000)
        throws(HTTPClientError) -> HTTPClientResponse
    {
        var pieces = stride(from: 0, to: text.utf8.count, by: pieceSize).map {
            Array(Array(text.utf8)[$0..<min($0 + pieceSize, text.utf8.count)])
        }
        var reader = HTTPResponseReader(maxBodyBytes: limit) { () throws(HTTPClientError) in
            pieces.isEmpty ? [] : pieces.removeFirst()
        }
        return try reader.readResponse(method: method)
    }

    @Test func readsAContentLengthBodyWhateverTheReadSizes() throws {
        let wire = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhelloEXTRA"
        for size in [1, 2, 3, 7, 64, 1_000_000] {
            let response = try read(wire, pieceSize: size)
            #expect(response.status == 200)
            #expect(response.body == Array("hello".utf8), "piece size \(size)")
            #expect(response.header("content-type") == "text/plain")
        }
    }

    @Test func decodesChunkedBodiesWithExtensionsAndTrailers() throws {
        let wire =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1 \r\n!\r\n0\r\nX-T: 1\r\n\r\n"
        for size in [1, 4, 1_000_000] {
            #expect(try read(wire, pieceSize: size).body == Array("hello!".utf8))
        }
    }

    @Test func readsToTheEndOfTheConnectionWithoutFraming() throws {
        #expect(try read("HTTP/1.0 200 OK\r\n\r\nuntil close").body == Array("until close".utf8))
        #expect(try read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw").body == Array("raw".utf8))
    }

    @Test func transferEncodingWinsOverContentLength() throws {
        let wire =
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
        #expect(try read(wire).body == Array("ok".utf8))
    }

    @Test func headAnd204And304HaveNoBody() throws {
        #expect(try read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", method: "HEAD").body.isEmpty)
        #expect(try read("HTTP/1.1 204 No Content\r\n\r\n").status == 204)
        #expect(try read("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").body.isEmpty)
    }

    @Test func skipsInterimResponses() throws {
        let response = try read(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        )
        #expect(response.status == 201)
        #expect(response.header("link") == nil)
    }

    @Test func acceptsBareLineFeedsAndIdenticalRepeatedLengths() throws {
        #expect(try read("HTTP/1.1 200 OK\nContent-Length: 2\n\nok").body == Array("ok".utf8))
        #expect(try read("HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok").body == Array("ok".utf8))
    }

    @Test func returnsRedirectsAsResponses() throws {
        let response = try read("HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n")
        #expect(response.status == 302 && response.header("Location") == "/elsewhere")
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 x\r\n\r\n",
        "HTTP/1.1 600 x\r\n\r\n", "ICY 200 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nName : x\r\n\r\n", "HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokX\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func rejectsMalformedResponses(wire: String) {
        let error = #expect(throws: HTTPClientError.self) { try read(wire) }
        #expect(error?.kind == .protocolViolation, "\(wire.debugDescription): \(String(describing: error))")
    }

    @Test func refusesBodiesOverTheLimitHoweverTheyAreFramed() {
        let body = String(repeating: "x", count: 11)
        for wire in [
            "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n\(body)",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nxxxxxx\r\n5\r\nxxxxx\r\n0\r\n\r\n",
            "HTTP/1.0 200 OK\r\n\r\n\(body)",
        ] {
            let error = #expect(throws: HTTPClientError.self) { try read(wire, limit: 10) }
            #expect(error?.kind == .responseTooLarge)
        }
        #expect(throws: Never.self) {
            try read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nxxxxxxxxxx", limit: 10)
        }
    }

    @Test func refusesAnOversizedHead() {
        let wire = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70 * 1024) + "\r\n\r\n"
        let error = #expect(throws: HTTPClientError.self) { try read(wire, pieceSize: 4096) }
        #expect(error?.kind == .protocolViolation)
    }

    @Test func reportsAConnectionThatEndsEarlyAsAConnectionFailure() {
        for wire in [
            "", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
        ] {
            let error = #expect(throws: HTTPClientError.self) { try read(wire) }
            #expect(error?.kind == .connect, "\(wire.debugDescription)")
        }
    }
}
