/// Submits mail over SMTP (RFC 5321): connect, EHLO, STARTTLS when offered or required
/// (or SMTPS), AUTH when credentials are configured, one transaction, QUIT. Blocking, for
/// worker threads; every wait bounded by `SMTPLimits`. Holds no connection between messages.
public final class SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    /// Delivers `message` to the server and returns its final reply to DATA (250 and the
    /// queue id, typically). A refusal at any step (RCPT TO and DATA included) throws
    /// `SMTPError` with the server's code and text; `isTransient` tells 4xx from 5xx.
    public func send(_ message: MailMessage) throws(SMTPError) -> SMTPReply {
        let content = try message.rendered()
        var recipients: [String] = []
        for recipient in message.to { recipients.append(try MailAddress.envelope(recipient)) }
        let session = try SMTPSession.open(configuration)
        defer { session.quit() }
        try session.hello()
        try secure(session)
        if let user = configuration.user, let password = configuration.password {
            try authenticate(session, user: user, password: password)
        }
        try session.command("MAIL FROM:<\(configuration.from)>", name: "MAIL FROM", expecting: 250)
        for recipient in recipients {
            // RFC 5321 §3.3: 251 "will forward" is an acceptance too.
            let reply = try session.command("RCPT TO:<\(recipient)>", name: "RCPT TO")
            guard reply.code == 250 || reply.code == 251 else {
                throw SMTPError(.rejected, reply.text, code: reply.code, command: "RCPT TO:<\(recipient)>")
            }
        }
        try session.command("DATA", name: "DATA", expecting: 354)
        try session.send(Self.dotStuffed(content) + Array(".\r\n".utf8), name: "DATA")
        return try session.expect(
            250, to: "DATA", session.readReply(deadline: commandDeadline(session), name: "DATA"))
    }

    private func commandDeadline(_ session: SMTPSession) -> ContinuousClock.Instant {
        min(session.total, .now + .seconds(configuration.limits.commandTimeout))
    }

    private func secure(_ session: SMTPSession) throws(SMTPError) {
        guard !session.isTLS else { return }
        if session.extensions["STARTTLS"] != nil {
            try session.startTLS()
        } else if configuration.security == .startTLSRequired {
            throw SMTPError(.tls, "the server does not offer STARTTLS and starttls=required", command: "EHLO")
        }
    }

    /// AUTH PLAIN (RFC 4616) when offered, else AUTH LOGIN. Only over TLS: a server that
    /// offers no STARTTLS may be a man in the middle that stripped it.
    private func authenticate(_ session: SMTPSession, user: String, password: String) throws(SMTPError) {
        guard session.isTLS else {
            throw SMTPError(
                .tls, "credentials are only sent over TLS and the server did not offer STARTTLS",
                command: "AUTH")
        }
        let mechanisms = (session.extensions["AUTH"] ?? "").uppercased().split(separator: " ")
        if mechanisms.contains("PLAIN") {
            let token = Base64.encode([0] + Array(user.utf8) + [0] + Array(password.utf8))
            try session.command("AUTH PLAIN \(token)", name: "AUTH PLAIN", expecting: 235)
        } else if mechanisms.contains("LOGIN") {
            try session.command("AUTH LOGIN", name: "AUTH LOGIN", expecting: 334)
            try session.command(Base64.encode(Array(user.utf8)), name: "AUTH LOGIN user", expecting: 334)
            try session.command(
                Base64.encode(Array(password.utf8)), name: "AUTH LOGIN password", expecting: 235)
        } else {
            throw SMTPError(
                .invalidConfiguration, "the server offers no AUTH PLAIN or LOGIN", command: "AUTH")
        }
    }

    /// RFC 5321 §4.5.2: a line that starts with `.` gets another `.`; the text ends in CRLF.
    static func dotStuffed(_ content: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(content.count + 64)
        var atLineStart = true
        for byte in content {
            if atLineStart && byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == 0x0a
        }
        if !(out.count >= 2 && out[out.count - 2] == 0x0d && out[out.count - 1] == 0x0a) {
            out += [0x0d, 0x0a]
        }
        return out
    }
}
