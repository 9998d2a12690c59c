import HTTPServer
import TestSupport
import Testing

/// Raw bytes over a real socket: each case checks the status and whether the connection
/// stays open. Refusals must come as problem+json with `Connection: close`, then a close.
@Suite struct ConformanceTests {
    @Test func coversAtLeastFortyCases() {
        #expect(ConformanceCase.accepted.count + ConformanceCase.refused.count >= 40)
    }

    @Test(arguments: ConformanceCase.accepted)
    func servesValidRequest(_ testCase: ConformanceCase) throws {
        try run(testCase)
    }

    @Test(arguments: ConformanceCase.refused)
    func refusesInvalidRequestAndCloses(_ testCase: ConformanceCase) throws {
        try run(testCase)
    }

    private func run(_ testCase: ConformanceCase) throws {
        try TestServer.with { _, port in
            let client = try RawHTTPClient(port: port, timeout: .seconds(5))
            try client.send(testCase.request)
            let response = try client.readResponse()
            #expect(response.status == testCase.status)
            #expect(response.header("Server") == "incidentd")
            #expect(response.header("Date") != nil)
            if testCase.status != 204 {
                #expect(response.header("Content-Length") == String(response.body.count))
            }
            if testCase.staysOpen {
                #expect(response.header("Connection") != "close")
                let next = try client.exchange("GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
                #expect(next.status == 200, "the connection must still serve requests")
            } else {
                #expect(response.header("Connection") == "close")
                #expect(client.waitForClose(), "the server must close the connection")
            }
            if testCase.status >= 400 && testCase.status != 404 && testCase.status != 405 {
                #expect(response.header("Content-Type") == "application/problem+json")
                #expect(response.bodyText.contains("\"status\":\(testCase.status)"))
            }
        }
    }
}
