import Outbound
import Testing

@Suite struct OutboundURLTests {
    @Test func splitsSchemeCredentialsHostPortAndTarget() throws {
        let url = try OutboundURL("SMTP://alice%40corp:p%3Ass@Mail.Example.com:587?starttls=required#x")
        #expect(url.scheme == "smtp")
        #expect(url.user == "alice@corp" && url.password == "p:ss")
        #expect(url.host == "mail.example.com" && url.port == 587)
        #expect(url.target == "/?starttls=required")
        #expect(url.queryItems.map(\.name) == ["starttls"] && url.queryItems.map(\.value) == ["required"])
    }

    @Test func keepsPathAndQueryAsWrittenAndDefaultsToSlash() throws {
        #expect(try OutboundURL("https://h/hooks/a%20b?x=1&y").target == "/hooks/a%20b?x=1&y")
        #expect(try OutboundURL("http://h").target == "/")
        #expect(try OutboundURL("http://h?q=1").target == "/?q=1")
    }

    @Test func takesBracketedIPv6Literals() throws {
        let url = try OutboundURL("http://[::FFFF:127.0.0.1]:8080/x")
        #expect(url.host == "::ffff:127.0.0.1" && url.port == 8080)
        #expect(url.hostForURI == "[::ffff:127.0.0.1]")
    }

    @Test(arguments: [
        "example.com/x", "http//x", "://x", "http://", "http://host:0/", "http://host:65536/",
        "http://host:8a/",
        "http://[::1/", "http://[127.0.0.1]/", "http://[::1]x/", "http://ho st/", "http://h/a b",
        "http://h/\r\nX-Injected: 1", "http://h/é", "http://h%2e/", "1http://h/",
    ])
    func refusesMalformedURLs(text: String) {
        #expect(throws: OutboundError.self, "\(text)") { try OutboundURL(text) }
    }
}
