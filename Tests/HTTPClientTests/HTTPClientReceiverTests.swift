import HTTPClient
import Outbound
import TestSupport
import Testing

/// The client against a real HTTP/1.1 server (Python's http.server, plain and TLS with a test
/// CA made by the openssl command) on loopback.
@Suite struct HTTPClientReceiverTests {
    let certificates: TestCertificates
    let loopback = DestinationPolicy(allowing: [CIDR("127.0.0.0/8")!, CIDR("::1/128")!])

    init() throws { certificates = try TestCertificates.shared() }

    func client(caFile: String? = nil, policy: DestinationPolicy? = nil, limits: HTTPClientLimits = .init())
        throws
        -> HTTPClient
    {
        HTTPClient(
            configuration: try HTTPClientConfiguration(
                caFile: caFile, destinationPolicy: policy ?? loopback, limits: limits,
                userAgent: "incidentd-test"))
    }

    var serverTLS: (certificate: String, key: String) {
        (certificates.serverCertificate, certificates.serverKey)
    }

    @Test func plainHTTPPostArrivesWithHostUserAgentHeadersAndBody() throws {
        let receiver = try HTTPReceiver()
        let response = try client().send(
            HTTPClientRequest(
                method: "POST", url: receiver.url("/echo"), headers: [("Content-Type", "application/json")],
                body: Array(#"{"event":"incident.triggered"}"#.utf8)))
        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        let recorded = try #require(try receiver.requests().first)
        #expect(recorded.method == "POST" && recorded.path == "/echo")
        #expect(recorded.header("Host") == "127.0.0.1:\(receiver.port)")
        #expect(recorded.header("User-Agent") == "incidentd-test")
        #expect(recorded.header("Content-Type") == "application/json")
        #expect(recorded.body == #"{"event":"incident.triggered"}"#)
    }

    @Test func httpsVerifiedWithTheCAFileGets200AndTheBody() throws {
        let receiver = try HTTPReceiver(tls: serverTLS)
        let response = try client(caFile: certificates.caFile).send(
            HTTPClientRequest(url: receiver.url("/ok", scheme: "https")))
        #expect(response.status == 200)
        #expect(response.body == Array("hello".utf8))
    }

    @Test func httpsDecodesChunkedAndCloseDelimitedBodies() throws {
        let receiver = try HTTPReceiver(tls: serverTLS)
        let http = try client(caFile: certificates.caFile)
        let chunked = try http.send(HTTPClientRequest(url: receiver.url("/chunked", scheme: "https")))
        #expect(String(decoding: chunked.body, as: UTF8.self) == "hello, chunked world")
        let closeDelimited = try http.send(
            HTTPClientRequest(url: receiver.url("/close-delimited", scheme: "https")))
        #expect(String(decoding: closeDelimited.body, as: UTF8.self) == "until the end")
    }

    @Test func returnsARedirectWithoutFollowingIt() throws {
        let receiver = try HTTPReceiver()
        let response = try client().send(HTTPClientRequest(url: receiver.url("/redirect")))
        #expect(response.status == 302)
        #expect(response.header("Location") == "/ok")
        #expect(try receiver.requests().map(\.path) == ["/redirect"])
    }

    @Test func refusesResponsesOverTheSizeCap() throws {
        let receiver = try HTTPReceiver(tls: serverTLS)
        let http = try client(
            caFile: certificates.caFile, limits: HTTPClientLimits(maxResponseBytes: 64 * 1024))
        for path in ["/big?bytes=65537", "/big-chunked?bytes=200000"] {
            let error = try #require(throws: HTTPClientError.self) {
                try http.send(HTTPClientRequest(url: receiver.url(path, scheme: "https")))
            }
            #expect(error.kind == .responseTooLarge, "\(path)")
        }
        let fits = try http.send(HTTPClientRequest(url: receiver.url("/big?bytes=65536", scheme: "https")))
        #expect(fits.body.count == 65536)
    }

    @Test func aReceiverThatNeverAnswersTimesOutWithinTheBound() throws {
        let receiver = try HTTPReceiver(tls: serverTLS)
        let http = try client(
            caFile: certificates.caFile, limits: HTTPClientLimits(readTimeout: 0.5, totalTimeout: 1))
        let start = ContinuousClock.now
        let error = try #require(throws: HTTPClientError.self) {
            try http.send(
                HTTPClientRequest(method: "POST", url: receiver.url("/hang", scheme: "https"), body: [1]))
        }
        let elapsed = ContinuousClock.now - start
        #expect(error.kind == .timeout)
        #expect(elapsed >= .milliseconds(450) && elapsed < .milliseconds(1500), "took \(elapsed)")
    }

    @Test func refusesACertificateFromAnUnknownCA() throws {
        let cases: [(tls: (certificate: String, key: String), caFile: String?)] = [
            (serverTLS, nil),  // our CA, but the client was not given it
            ((certificates.unknownCACertificate, certificates.unknownCAKey), certificates.caFile),
        ]
        for (tls, caFile) in cases {
            let receiver = try HTTPReceiver(tls: tls)
            let error = try #require(throws: HTTPClientError.self) {
                try client(caFile: caFile).send(HTTPClientRequest(url: receiver.url("/ok", scheme: "https")))
            }
            #expect(error.kind == .tls)
            #expect(error.message.contains("unable to get local issuer certificate"), "\(error)")
            #expect(try receiver.requests().isEmpty)
        }
    }

    @Test func refusesACertificateForAnotherHostName() throws {
        let receiver = try HTTPReceiver(tls: (certificates.otherHostCertificate, certificates.otherHostKey))
        let error = try #require(throws: HTTPClientError.self) {
            try client(caFile: certificates.caFile).send(
                HTTPClientRequest(url: receiver.url("/ok", scheme: "https")))
        }
        #expect(error.kind == .tls)
        #expect(error.message.contains("mismatch"), "\(error)")
    }

    @Test func refusesLoopbackUnlessTheAllowListHasIt() throws {
        let receiver = try HTTPReceiver()
        let strict = try client(policy: DestinationPolicy())
        for url in [
            receiver.url("/ok"), "http://localhost:\(receiver.port)/ok",
            "http://[::ffff:127.0.0.1]:\(receiver.port)/ok",
        ] {
            let error = try #require(throws: HTTPClientError.self) {
                try strict.send(HTTPClientRequest(url: url))
            }
            #expect(error.kind == .refusedDestination, "\(url)")
        }
        #expect(try receiver.requests().isEmpty)
        let allowed = try client(policy: DestinationPolicy(allowList: "127.0.0.0/8"))
        #expect(try allowed.send(HTTPClientRequest(url: receiver.url("/ok"))).status == 200)
    }

    @Test func talksToAnIPv6LiteralWithABracketedHostHeader() throws {
        let receiver = try HTTPReceiver(tls: serverTLS, host: "::1")
        let response = try client(caFile: certificates.caFile).send(
            HTTPClientRequest(url: receiver.url("/echo", scheme: "https")))
        #expect(response.status == 200)
        #expect(try receiver.requests().first?.header("Host") == "[::1]:\(receiver.port)")
    }

    @Test func checksDestinationsWhenTheyAreConfigured() throws {
        let strict = try client(policy: DestinationPolicy())
        for url in [
            "http://127.0.0.1:8080/", "https://localhost/hook", "http://[fd00:ec2::254]/",
            "http://169.254.169.254/latest",
        ] {
            let error = try #require(throws: HTTPClientError.self) { try strict.checkDestination(url: url) }
            #expect(error.kind == .refusedDestination, "\(url)")
        }
        for url in ["ftp://example.com/", "not a url", "http://user:pw@example.com/"] {
            let error = try #require(throws: HTTPClientError.self) { try strict.checkDestination(url: url) }
            #expect(error.kind == .invalidURL, "\(url)")
        }
        try strict.checkDestination(url: "https://203.0.113.10/hooks")
        try client().checkDestination(url: "http://127.0.0.1:9/")
    }
}
