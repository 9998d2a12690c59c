import Testing

@testable import SMTPClient

@Suite struct SMTPConfigurationTests {
    @Test func parsesSMTPWithCredentialsAndDefaultsThePort() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://bob%40corp:p%40ss@mail.example.com", from: "Alerts <a@x.test>")
        #expect(configuration.host == "mail.example.com" && configuration.port == 25)
        #expect(configuration.user == "bob@corp" && configuration.password == "p@ss")
        #expect(configuration.security == .startTLSWhenOffered)
        #expect(configuration.from == "a@x.test")
    }

    @Test func readsStartTLSRequiredAndImplicitTLS() throws {
        #expect(
            try SMTPConfiguration(url: "smtp://h:587?starttls=required", from: "a@x.test").security
                == .startTLSRequired)
        let smtps = try SMTPConfiguration(url: "smtps://h", from: "a@x.test")
        #expect(smtps.security == .implicitTLS && smtps.port == 465)
    }

    @Test(arguments: [
        "http://h", "smtp://h/path", "smtp://h?starttls=yes", "smtp://h?tls=1", "smtp://user@h", "smtp://h:0",
        "smtp://", "mail.example.com:25",
    ])
    func refusesUnusableURLs(url: String) {
        let error = #expect(throws: SMTPError.self) { try SMTPConfiguration(url: url, from: "a@x.test") }
        #expect(error?.kind == .invalidConfiguration && error?.isTransient == false)
    }

    @Test func refusesAnUnusableSender() {
        for from in ["", "nobody", "a b@x", "<a@x>\r\n", "@x", "a@"] {
            #expect(throws: SMTPError.self, "\(from)") { try SMTPConfiguration(url: "smtp://h", from: from) }
        }
    }

    @Test func parsesReplyLines() {
        #expect(SMTPReply.parseLine(Array("250-PIPELINING".utf8))! == (250, false, "PIPELINING"))
        #expect(SMTPReply.parseLine(Array("550 5.1.1 no".utf8))! == (550, true, "5.1.1 no"))
        #expect(SMTPReply.parseLine(Array("220".utf8))! == (220, true, ""))
        for line in ["25 ok", "2500 ok", "abc ok", "250x", "199 low", "600 high"] {
            #expect(SMTPReply.parseLine(Array(line.utf8)) == nil, "\(line)")
        }
    }
}
