import Glibc
import Testing

@testable import HTTPServer

@Suite struct ValueTypeTests {
    @Test func decodesQueryStrings() {
        let query = QueryParameters(parsing: "status=open&status=acked&q=disk+full%21&flag&bad=%zz&&")
        #expect(query.values(for: "status") == ["open", "acked"])
        #expect(query["q"] == "disk full!")
        #expect(query["flag"] == "")
        #expect(query["bad"] == "%zz", "a malformed escape stays literal")
        #expect(query["missing"] == nil)
    }

    @Test func looksUpHeadersCaseInsensitively() {
        var headers: HTTPHeaders = ["Content-Type": "a", "X-Multi": "1"]
        headers.add(name: "x-multi", value: "2")
        #expect(headers["content-type"] == "a")
        #expect(headers.values(for: "X-MULTI") == ["1", "2"])
        headers.set(name: "X-Multi", value: "3")
        #expect(headers.values(for: "x-multi") == ["3"])
        headers.remove(name: "CONTENT-TYPE")
        #expect(!headers.contains("Content-Type"))
    }

    @Test func findsConnectionTokensInLists() {
        let headers: HTTPHeaders = ["Connection": "Upgrade, Keep-Alive", "connection": " close "]
        #expect(headers.containsToken("keep-alive", in: "Connection"))
        #expect(headers.containsToken("close", in: "CONNECTION"))
        #expect(!headers.containsToken("upgrade2", in: "Connection"))
    }

    @Test func writesServerOwnedHeadersItselfAndDropsTheHandlers() {
        var output = OutboundBuffer()
        let response = HTTPResponse(
            status: 200,
            headers: [
                "Content-Length": "999", "Server": "evil", "X-Custom": "kept", "Transfer-Encoding": "chunked",
            ],
            body: Array("abc".utf8))
        ResponseHead.write(
            response, headRequest: false, disposition: .close, requestID: "rid",
            dateLine: Array("Date: D\r\n".utf8),
            into: &output)
        let text = Self.text(of: &output)
        #expect(
            text
                == "HTTP/1.1 200 OK\r\nDate: D\r\nServer: incidentd\r\nContent-Length: 3\r\nConnection: close\r\n"
                + "X-Request-ID: rid\r\nX-Custom: kept\r\n\r\nabc")
    }

    @Test func sendsNoContentLengthOrBodyWith204() {
        var output = OutboundBuffer()
        ResponseHead.write(
            HTTPResponse(status: 204, body: Array("x".utf8)), headRequest: false, disposition: .keepAlive,
            requestID: "",
            dateLine: [], into: &output)
        #expect(Self.text(of: &output) == "HTTP/1.1 204 No Content\r\nServer: incidentd\r\n\r\n")
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDateCache.imfFixdate(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func generatesDistinctRequestIDs() {
        var generator = RequestIDGenerator()
        let ids = Set((0..<1000).map { _ in generator.next() })
        #expect(ids.count == 1000)
        #expect(ids.allSatisfy { RequestIDGenerator.isAcceptable($0) && $0.count == 16 })
        #expect(!RequestIDGenerator.isAcceptable(""))
        #expect(!RequestIDGenerator.isAcceptable("a\nb"))
    }

    @Test func rendersProblemJSONWithEscaping() {
        let problem = ProblemDetails(status: 422, detail: "bad \"quote\"\n")
        #expect(
            String(decoding: problem.jsonBytes(), as: UTF8.self)
                == #"{"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"bad \"quote\"\n","errors":[]}"#
        )
    }

    /// Drains an outbound buffer through a socket pair and returns what was written.
    static func text(of output: inout OutboundBuffer) -> String {
        var pair: [Int32] = [0, 0]
        socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair)
        defer {
            close(pair[0])
            close(pair[1])
        }
        _ = output.flush(to: pair[0])
        var bytes = [UInt8](repeating: 0, count: 65536)
        let count = read(pair[1], &bytes, bytes.count)
        return String(decoding: bytes[..<max(0, count)], as: UTF8.self)
    }
}
