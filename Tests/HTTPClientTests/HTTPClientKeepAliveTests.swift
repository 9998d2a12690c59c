import Foundation
import HTTPClient
import Outbound
import TestSupport
import Testing

/// Keep-alive (`HTTPClientConfiguration.keepAlive`) against a real HTTP/1.1 server (Python's
/// http.server, which keeps connections open) on loopback: the receiver records each request's
/// client port, so requests on one connection share it.
@Suite struct HTTPClientKeepAliveTests {
    let certificates: TestCertificates
    let loopback = DestinationPolicy(allowing: [CIDR("127.0.0.0/8")!])

    init() throws { certificates = try TestCertificates.shared() }

    func client(keepAlive: HTTPClientConfiguration.KeepAlive?) throws -> HTTPClient {
        HTTPClient(
            configuration: try HTTPClientConfiguration(
                caFile: certificates.caFile, destinationPolicy: loopback, keepAlive: keepAlive))
    }

    func post(_ http: HTTPClient, _ url: String) throws -> HTTPClientResponse {
        try http.send(HTTPClientRequest(method: "POST", url: url, body: Array("{}".utf8)))
    }

    @Test func requestsToOneDestinationShareAConnection() throws {
        let receiver = try HTTPReceiver()
        let http = try client(keepAlive: .init())
        for _ in 0..<5 { #expect(try post(http, receiver.url("/ok")).status == 200) }
        let requests = try receiver.requests()
        #expect(requests.count == 5 && Set(requests.map(\.peer)).count == 1)
        #expect(requests.allSatisfy { $0.header("Connection") == nil })
    }

    @Test func httpsConnectionsAreKeptToo() throws {
        let receiver = try HTTPReceiver(tls: (certificates.serverCertificate, certificates.serverKey))
        let http = try client(keepAlive: .init())
        for _ in 0..<3 {
            #expect(try post(http, receiver.url("/ok", scheme: "https")).body == Array("hello".utf8))
        }
        #expect(Set(try receiver.requests().map(\.peer)).count == 1)
    }

    @Test func withoutKeepAliveEachRequestHasItsOwnConnection() throws {
        let receiver = try HTTPReceiver()
        let http = try client(keepAlive: nil)
        for _ in 0..<3 { #expect(try post(http, receiver.url("/ok")).status == 200) }
        let requests = try receiver.requests()
        #expect(
            Set(requests.map(\.peer)).count == 3 && requests.allSatisfy { $0.header("Connection") == "close" }
        )
    }

    @Test func aConnectionIsNotReusedAfterABodyFramedByCloseOrAServerThatDroppedIt() throws {
        let receiver = try HTTPReceiver()
        let http = try client(keepAlive: .init())
        #expect(
            String(decoding: try post(http, receiver.url("/close-delimited")).body, as: UTF8.self)
                == "until the end")
        #expect(try post(http, receiver.url("/ok-then-close")).status == 200)
        // The server closed that one without saying so: the next request sees it gone and
        // opens a new connection instead of failing.
        Thread.sleep(forTimeInterval: 0.1)
        #expect(try post(http, receiver.url("/ok")).status == 200)
        #expect(try post(http, receiver.url("/ok")).status == 200)
        let peers = try receiver.requests().map(\.peer)
        #expect(peers.count == 4 && peers[0] != peers[1] && peers[1] != peers[2] && peers[2] == peers[3])
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() throws {
        let receiver = try HTTPReceiver()
        let http = try client(keepAlive: .init(maxIdlePerDestination: 2, idleTimeout: 0.2))
        #expect(try post(http, receiver.url("/ok")).status == 200)
        Thread.sleep(forTimeInterval: 0.4)
        #expect(try post(http, receiver.url("/ok")).status == 200)
        let peers = try receiver.requests().map(\.peer)
        #expect(peers.count == 2 && peers[0] != peers[1])
    }

    @Test func aConnectionIsKeptPerDestination() throws {
        let first = try HTTPReceiver()
        let second = try HTTPReceiver()
        let http = try client(keepAlive: .init())
        for _ in 0..<2 {
            #expect(try post(http, first.url("/ok")).status == 200)
            #expect(try post(http, second.url("/ok")).status == 200)
        }
        #expect(Set(try first.requests().map(\.peer)).count == 1)
        #expect(Set(try second.requests().map(\.peer)).count == 1)
    }
}
