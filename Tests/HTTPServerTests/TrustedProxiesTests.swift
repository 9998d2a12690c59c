import HTTPServer
import Synchronization
import TestSupport
import Testing

/// `X-Forwarded-For` counts only from trusted proxies, and then names the rightmost address
/// outside them (issue 20).
@Suite struct TrustedProxiesTests {
    private func proxies(_ text: String) throws -> TrustedProxies { try TrustedProxies.parse(text).get() }

    @Test func theClientIsTheRightmostForwardedAddressOutsideTheTrustedRanges() throws {
        let trusted = try proxies("10.0.0.0/8, 192.168.1.1 ,fd00::/8")
        #expect(trusted.client(peer: "10.1.2.3", forwardedFor: ["203.0.113.9"]) == "203.0.113.9")
        // A client cannot hide behind a forged entry left of what the proxies wrote.
        #expect(
            trusted.client(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 203.0.113.9", "192.168.1.1"])
                == "203.0.113.9")
        #expect(trusted.client(peer: "fd00::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        // Ports and brackets as some proxies write them; IPv4-mapped peers count as IPv4.
        #expect(
            trusted.client(peer: "::ffff:10.0.0.1", forwardedFor: ["198.51.100.4:5123"]) == "198.51.100.4")
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: ["[2001:db8::8]:443"]) == "2001:db8::8")
        // Every hop trusted: the leftmost is the client.
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: ["10.9.9.9, 192.168.1.1"]) == "10.9.9.9")
        // Something that is not an address stops the walk at the last hop believed.
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: ["unknown"]) == "10.0.0.1")
        #expect(trusted.client(peer: "10.0.0.1", forwardedFor: ["junk, 10.0.0.2"]) == "10.0.0.2")
    }

    @Test func anUntrustedPeerOrNoRangesIgnoreTheHeader() throws {
        #expect(try proxies("10.0.0.0/8").client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "127.0.0.1")
        #expect(TrustedProxies().client(peer: "127.0.0.1", forwardedFor: ["1.2.3.4"]) == "127.0.0.1")
        #expect(try proxies("").isEmpty)
    }

    @Test func entriesThatAreNotRangesAreNamed() {
        guard case .failure(let invalid) = TrustedProxies.parse("10.0.0.0/8, 10.0.0.0/33, proxy.local, ::1")
        else {
            Issue.record("invalid ranges were accepted")
            return
        }
        #expect(invalid.entries == ["10.0.0.0/33", "proxy.local"])
    }

    @Test func theServerGivesHandlersAndTheAccessLogTheForwardedClient() throws {
        let logged = Mutex<[String]>([])
        try TestServer.with(
            { $0.trustedProxies = try! TrustedProxies.parse("127.0.0.1").get() },
            observer: { completed in logged.withLock { $0.append(completed.remoteAddress) } }
        ) { _, port in
            let client = try RawHTTPClient(port: port)
            let forwarded = try client.exchange(
                "GET /client HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.23, 127.0.0.1\r\n\r\n")
            #expect(forwarded.bodyText == "198.51.100.23")
            let direct = try client.exchange("GET /client HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(direct.bodyText == "127.0.0.1")
        }
        let addresses = logged.withLock { $0 }
        #expect(addresses.first == "198.51.100.23")
        #expect(addresses.last?.hasPrefix("127.0.0.1:") == true)
    }
}
