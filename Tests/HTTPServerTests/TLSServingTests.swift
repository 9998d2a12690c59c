import Foundation
import HTTPServer
import TLS
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// HTTPS on the server's own port (issue 20), checked with real clients: curl and openssl
/// against the test CA, and our client session for pipelining.
@Suite struct TLSServingTests {
    let certificates: TestCertificates

    init() throws { certificates = try TestCertificates.shared() }

    private var files: HTTPServerTLS {
        HTTPServerTLS(
            certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.serverKey)
    }

    private func curl(_ port: Int, _ paths: [String], ca: String?, extra: [String] = []) throws
        -> Tool.Outcome
    {
        var arguments = ["curl", "-sS", "--http1.1", "--max-time", "10"]
        if let ca { arguments += ["--cacert", ca] }
        arguments += extra
        arguments += ["-w", "\\n%{http_code} %{http_version} %{num_connects}\\n"]
        arguments += paths.map { "https://127.0.0.1:\(port)\($0)" }
        return try Tool.run(arguments)
    }

    @Test func curlWithTheTestCAIsAnsweredOverTLSAndKeepsItsConnectionForTheNextRequest() throws {
        try TestServer.with({ $0.tls = files }) { server, port in
            #expect(server.servesTLS)
            let result = try curl(port, ["/healthz", "/inline/again"], ca: certificates.caFile)
            #expect(result.status == 0, "\(result.errors)")
            let lines = result.output.split(separator: "\n").map(String.init)
            #expect(lines == [#"{"status":"ok"}"#, "200 1.1 1", "inline again", "200 1.1 0"])
        }
    }

    @Test func curlWithoutTheCARefusesTheCertificate() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let refused = try curl(port, ["/healthz"], ca: nil)
            // 60: "Peer certificate cannot be authenticated with known CA certificates".
            #expect(refused.status == 60, "\(refused.errors)")
        }
    }

    @Test func handshakeSpeaksTLS12OrNewerWithALPNHTTP11AndRefusesOlderProtocolsAndNonAEADCiphers() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let client = try TLSTestClient(port: port, caFile: certificates.caFile, alpn: ["h2", "http/1.1"])
            #expect(client.session.negotiatedProtocol == "http/1.1")
            #expect(["TLSv1.2", "TLSv1.3"].contains(client.session.protocolVersion))
            let connect = [
                "openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", certificates.caFile,
            ]
            let tls12 = try Tool.run(connect + ["-tls1_2"], input: "")
            #expect(tls12.status == 0, "\(tls12.errors)")
            #expect(tls12.output.contains("ECDHE"), "TLS 1.2 must use an ECDHE suite")
            #expect(try Tool.run(connect + ["-tls1_1"], input: "").status != 0, "TLS 1.1 must be refused")
            let cbc = try Tool.run(
                connect + ["-tls1_2", "-cipher", "AES128-SHA:ECDHE-RSA-AES128-SHA"], input: "")
            #expect(cbc.status != 0, "CBC suites must be refused")
        }
    }

    @Test func pipelinedRequestsOverTLSAreAnsweredInOrderAndTheConnectionStaysOpen() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let client = try TLSTestClient(port: port, caFile: certificates.caFile)
            try client.send(
                "GET /inline/one HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?ms=50 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /inline/three HTTP/1.1\r\nHost: x\r\n\r\n")
            let answers = try client.responses(3)
            #expect(answers.map(\.body) == ["inline one", "slow 50", "inline three"])
            #expect(answers.allSatisfy { $0.status == 200 })
            let body = String(repeating: "b", count: 100_000)
            try client.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            #expect(try client.responses(1).first?.body == body)
        }
    }

    /// The server reads ahead: one read(2) may bring several records, of which one SSL_read
    /// returns one; the loop must answer every buffered record before waiting for epoll.
    @Test func requestsSentAsSeparateRecordsBackToBackAreAllAnswered() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let client = try TLSTestClient(port: port, caFile: certificates.caFile)
            for round in 1...3 {
                for name in ["one", "two", "three", "four"] {
                    try client.send("GET /inline/\(name)-\(round) HTTP/1.1\r\nHost: x\r\n\r\n")
                }
                let answers = try client.responses(4)
                #expect(
                    answers.map(\.body) == ["one", "two", "three", "four"].map { "inline \($0)-\(round)" })
            }
        }
    }

    @Test func largeResponseOverTLSArrivesWhole() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let result = try curl(port, ["/big?mb=3"], ca: certificates.caFile, extra: ["-o", "/dev/null"])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.contains("200 1.1 1"))
            let size = try Tool.run([
                "curl", "-sS", "--cacert", certificates.caFile, "-o", "/dev/null", "-w", "%{size_download}",
                "https://127.0.0.1:\(port)/big?mb=3",
            ])
            #expect(size.output == String(3 * 1024 * 1024))
        }
    }

    @Test func plainHTTPToTheTLSPortIsToldSoInPlainHTTPAndClosed() throws {
        try TestServer.with({ $0.tls = files }) { _, port in
            let client = try RawHTTPClient(port: port)
            let response = try client.exchange("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(response.status == 400)
            #expect(response.bodyText.contains("HTTPS"))
            #expect(client.waitForClose())
            let viaCurl = try Tool.run([
                "curl", "-sS", "-w", "%{http_code}", "http://127.0.0.1:\(port)/healthz",
            ])
            #expect(viaCurl.output.hasSuffix("400"))
        }
    }

    @Test func aHandshakeThatStallsIsCutByTheHeaderTimeout() throws {
        try TestServer.with({
            $0.tls = files
            TestServer.shortTimeouts(&$0)
        }) { _, port in
            let start = ContinuousClock.now
            let silent = try RawHTTPClient(port: port)
            let partial = try RawHTTPClient(port: port)
            // The start of a ClientHello record that promises 512 bytes and sends 4.
            try partial.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc])
            #expect(partial.waitForClose(timeout: .seconds(4)))
            #expect(silent.waitForClose(timeout: .seconds(4)))
            let elapsed = TestServer.elapsed(since: start)
            #expect(elapsed >= 0.9 && elapsed < 3.5, "closed after \(elapsed) s")
        }
    }

    @Test func reloadedCertificatesReachNewConnectionsWhileOpenOnesKeepTheirs() throws {
        let folder = certificates.directory + "/reload-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let live = HTTPServerTLS(
            certificateChainFile: folder + "/cert.pem", privateKeyFile: folder + "/key.pem")
        func install(_ certificate: String, _ key: String) throws {
            try Data(contentsOf: URL(fileURLWithPath: certificate)).write(
                to: URL(fileURLWithPath: live.certificateChainFile))
            try Data(contentsOf: URL(fileURLWithPath: key)).write(
                to: URL(fileURLWithPath: live.privateKeyFile))
        }
        try install(certificates.serverCertificate, certificates.serverKey)
        let otherCA = certificates.directory + "/unknown-ca.pem"
        try TestServer.with({ $0.tls = live }) { server, port in
            let before = try TLSTestClient(port: port, caFile: certificates.caFile)
            #expect(try curl(port, ["/healthz"], ca: certificates.caFile).status == 0)

            try install(certificates.unknownCACertificate, certificates.unknownCAKey)
            try server.reloadCertificates()
            #expect(try curl(port, ["/healthz"], ca: certificates.caFile).status == 60)
            let after = try curl(port, ["/healthz"], ca: otherCA)
            #expect(after.status == 0, "\(after.errors)")
            // The connection made before the reload goes on with its certificate.
            try before.send("GET /inline/still HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try before.responses(1).first?.body == "inline still")

            // Files that cannot be used: the reload fails and the current certificate stays.
            try "not a certificate".write(
                toFile: live.certificateChainFile, atomically: true, encoding: .utf8)
            #expect(throws: TLSError.self) { try server.reloadCertificates() }
            #expect(try curl(port, ["/healthz"], ca: otherCA).status == 0)
        }
    }

    @Test func startFailsAtOnceOnCertificateFilesThatCannotBeUsed() throws {
        let broken = HTTPServerTLS(
            certificateChainFile: certificates.serverCertificate, privateKeyFile: certificates.otherHostKey)
        var configuration = TestServer.configuration()
        configuration.tls = broken
        let server = HTTPServer(
            configuration: configuration, responder: TestRoutes.router(), logger: .disabled)
        let error = try #require(throws: TLSError.self) { try server.start() }
        #expect(error.message.contains("mismatch") || error.message.contains("does not match"))
        #expect(server.boundPort == 0)
    }
}
