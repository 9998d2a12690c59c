import Testing

@testable import HTTPClient

@Suite struct HTTPRequestWriterTests {
    func wire(_ request: HTTPClientRequest) throws -> String {
        String(
            decoding: try HTTPRequestWriter.serialize(
                request, to: HTTPTarget(request.url), userAgent: "ua/1"), as: UTF8.self)
    }

    @Test func writesHostWithANonDefaultPortAndTheTarget() throws {
        let text = try wire(
            HTTPClientRequest(method: "POST", url: "http://127.0.0.1:8080/hook?a=1", body: Array("{}".utf8)))
        #expect(text.hasPrefix("POST /hook?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: ua/1\r\n"))
        #expect(text.contains("\r\nContent-Length: 2\r\n"))
        #expect(text.hasSuffix("Connection: close\r\n\r\n{}"))
    }

    @Test func leavesOutDefaultPortsAndBracketsIPv6() throws {
        #expect(
            try wire(HTTPClientRequest(url: "https://example.com:443/")).contains("\r\nHost: example.com\r\n")
        )
        #expect(try wire(HTTPClientRequest(url: "http://[::1]:9000/")).contains("\r\nHost: [::1]:9000\r\n"))
        #expect(try wire(HTTPClientRequest(url: "http://[::1]/")).contains("\r\nHost: [::1]\r\n"))
    }

    @Test func dropsFramingHeadersACallerSetsAndKeepsItsUserAgent() throws {
        let request = HTTPClientRequest(
            method: "POST", url: "http://h/",
            headers: [
                ("Content-Length", "99"), ("Transfer-Encoding", "chunked"), ("Host", "evil"),
                ("User-Agent", "mine"),
            ],
            body: [])
        let text = try wire(request)
        #expect(!text.contains("99") && !text.contains("chunked") && !text.contains("evil"))
        #expect(text.contains("User-Agent: mine\r\n") && !text.contains("ua/1"))
        #expect(text.contains("Content-Length: 0\r\n"))
    }

    @Test func refusesHeaderInjectionAndBadMethods() {
        for request in [
            HTTPClientRequest(url: "http://h/", headers: [("X-A", "1\r\nX-B: 2")]),
            HTTPClientRequest(url: "http://h/", headers: [("X A", "1")]),
            HTTPClientRequest(method: "GET /x", url: "http://h/"),
            HTTPClientRequest(url: "http://user:pw@h/"),
            HTTPClientRequest(url: "ftp://h/"),
        ] {
            #expect(throws: HTTPClientError.self) { try wire(request) }
        }
    }
}
