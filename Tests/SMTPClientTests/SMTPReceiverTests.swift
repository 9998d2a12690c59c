import Foundation
import Outbound
import SMTPClient
import TestSupport
import Testing

/// The client against real aiosmtpd servers on loopback, TLS with a test CA.
@Suite struct SMTPReceiverTests {
    let certificates: TestCertificates
    let loopback = DestinationPolicy(allowing: [CIDR("127.0.0.0/8")!])

    init() throws { certificates = try TestCertificates.shared() }

    var serverTLS: (certificate: String, key: String) {
        (certificates.serverCertificate, certificates.serverKey)
    }

    func client(
        _ url: String, caFile: String? = nil, policy: DestinationPolicy? = nil, limits: SMTPLimits = .init()
    )
        throws -> SMTPClient
    {
        SMTPClient(
            configuration: try SMTPConfiguration(
                url: url, from: "incidentd <alerts@incidentd.test>", caFile: caFile ?? certificates.caFile,
                destinationPolicy: policy ?? loopback, limits: limits, heloName: "incidentd.test"))
    }

    func message(to: [String] = ["oncall@example.com"]) -> MailMessage {
        MailMessage(
            from: "incidentd <alerts@incidentd.test>", to: to,
            subject: "[SEV1] INC-42 API down — error rate above 5%",
            body: "Incident INC-42 was triggered.\n.\n..starts with dots\nCafé ☕ ünïcødé\n",
            messageID: "<inc-42.3@incidentd.test>", inReplyTo: "<inc-42@incidentd.test>",
            references: ["<inc-42@incidentd.test>", "inc-42.2@incidentd.test"],
            date: Date(timeIntervalSince1970: 1_796_716_800))
    }

    @Test func startTLSDeliversAThreadedMessageWithEveryHeaderIntact() throws {
        let receiver = try SMTPReceiver(
            command: .startTLS(certificate: serverTLS.certificate, key: serverTLS.key))
        let reply = try client("smtp://127.0.0.1:\(receiver.port)").send(
            message(to: ["oncall@example.com", "lead@example.com"]))
        #expect(reply.code == 250)
        let file = try #require(try receiver.storedMessages().first)
        let mail = try receiver.summary(of: file)
        #expect(mail.subject == "[SEV1] INC-42 API down — error rate above 5%")
        #expect(mail.message_id == "<inc-42.3@incidentd.test>")
        #expect(mail.in_reply_to == "<inc-42@incidentd.test>")
        #expect(mail.references == ["<inc-42@incidentd.test>", "<inc-42.2@incidentd.test>"])
        #expect(mail.to == ["oncall@example.com", "lead@example.com"])
        #expect(mail.x_mailfrom == "alerts@incidentd.test")
        #expect(mail.x_rcptto == "oncall@example.com, lead@example.com")
        #expect(mail.date == "Tue, 08 Dec 2026 08:00:00 +0000")
        #expect(mail.content_type == "text/plain" && mail.charset == "utf-8")
        #expect(mail.defects.isEmpty)
        #expect(mail.body == "Incident INC-42 was triggered.\n.\n..starts with dots\nCafé ☕ ünïcødé\n")
        let raw = try String(contentsOfFile: file, encoding: .utf8)
        #expect(raw.contains("Subject: =?UTF-8?B?"), "a non-ASCII subject travels RFC 2047 encoded")
    }

    @Test func implicitTLSDeliversOverSMTPS() throws {
        let receiver = try SMTPReceiver(
            command: .implicit(certificate: serverTLS.certificate, key: serverTLS.key))
        #expect(try client("smtps://127.0.0.1:\(receiver.port)").send(message()).code == 250)
        #expect(try receiver.storedMessages().count == 1)
    }

    @Test func startTLSRequiredFailsAgainstAServerWithoutItWhileOpportunisticSends() throws {
        let receiver = try SMTPReceiver(command: .none)
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(receiver.port)?starttls=required").send(message())
        }
        #expect(error.kind == .tls)
        #expect(try receiver.storedMessages().isEmpty)
        #expect(try client("smtp://127.0.0.1:\(receiver.port)").send(message()).code == 250)
        #expect(try receiver.storedMessages().count == 1)
    }

    @Test func aRecipientRefusedWith550IsAPermanentErrorCarryingTheReply() throws {
        let receiver = try SMTPReceiver(mode: "refuse-rcpt", startTLS: serverTLS)
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(receiver.port)").send(
                message(to: ["oncall@example.com", "unknown@example.com"]))
        }
        #expect(error.kind == .rejected)
        #expect(error.code == 550)
        #expect(error.text.contains("User unknown"))
        #expect(error.command?.hasPrefix("RCPT TO") == true)
        #expect(!error.isTransient)
        #expect(try receiver.storedMessages().isEmpty)
    }

    @Test func a451AtDataIsATransientErrorCarryingTheReply() throws {
        let receiver = try SMTPReceiver(mode: "transient-data", startTLS: serverTLS)
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(receiver.port)").send(message())
        }
        #expect(error.kind == .rejected)
        #expect(error.code == 451)
        #expect(error.text.contains("try again later"))
        #expect(error.command == "DATA")
        #expect(error.isTransient)
    }

    @Test func authenticatesWithPlainAndWithLoginWhenThatIsAllTheServerOffers() throws {
        for (mechanisms, expected) in [
            (nil as String?, "AUTH PLAIN alice ok"), ("LOGIN", "AUTH LOGIN alice ok"),
        ] {
            let receiver = try SMTPReceiver(
                mode: "mailbox", startTLS: serverTLS, auth: "alice:s3cr%t:x", mechanisms: mechanisms)
            let reply = try client("smtp://alice:s3cr%25t%3Ax@127.0.0.1:\(receiver.port)").send(message())
            #expect(reply.code == 250)
            #expect(try receiver.authLines() == [expected])
            #expect(try receiver.storedMessages().count == 1)
        }
    }

    @Test func aWrongPasswordIsAPermanentRefusalAtAuth() throws {
        let receiver = try SMTPReceiver(mode: "mailbox", startTLS: serverTLS, auth: "alice:right")
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://alice:wrong@127.0.0.1:\(receiver.port)").send(message())
        }
        #expect(error.kind == .rejected && error.code == 535 && !error.isTransient)
        #expect(error.command == "AUTH PLAIN")
        #expect(!error.description.contains("wrong"), "the password stays out of errors")
    }

    @Test func credentialsAreNeverSentWithoutTLS() throws {
        let receiver = try SMTPReceiver(command: .none)
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://alice:secret@127.0.0.1:\(receiver.port)").send(message())
        }
        #expect(error.kind == .tls && error.command == "AUTH")
        #expect(try receiver.storedMessages().isEmpty)
    }

    @Test func refusesAServerCertificateFromAnUnknownCA() throws {
        let receiver = try SMTPReceiver(
            command: .startTLS(certificate: certificates.unknownCACertificate, key: certificates.unknownCAKey)
        )
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(receiver.port)").send(message())
        }
        #expect(error.kind == .tls && error.command == "STARTTLS")
        #expect(error.text.contains("certificate verify failed"))
        #expect(try receiver.storedMessages().isEmpty)
    }

    @Test func refusesALoopbackServerOutsideTheAllowList() throws {
        let receiver = try SMTPReceiver(command: .none)
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(receiver.port)", policy: DestinationPolicy()).send(message())
        }
        #expect(error.kind == .refusedDestination && !error.isTransient)
    }

    @Test func aServerThatNeverGreetsTimesOutWithinTheBound() throws {
        let silent = try SilentListener()
        let start = ContinuousClock.now
        let error = try #require(throws: SMTPError.self) {
            try client("smtp://127.0.0.1:\(silent.port)", limits: SMTPLimits(connectTimeout: 0.4)).send(
                message())
        }
        #expect(error.kind == .timeout && error.isTransient)
        #expect(ContinuousClock.now - start < .milliseconds(1500))
    }
}

/// A listening socket that never accepts: connects succeed (the kernel's backlog), nothing
/// is ever said.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw SMTPError(.connect, "listener setup failed") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(fd) }
}
