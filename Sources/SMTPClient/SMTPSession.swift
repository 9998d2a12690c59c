import Outbound

/// One SMTP dialogue on one connection: commands out, replies in, each bounded by the
/// command timeout and the dialogue's total deadline.
final class SMTPSession {
    let configuration: SMTPConfiguration
    let connection: OutboundConnection
    let total: ContinuousClock.Instant
    /// EHLO keywords, uppercased, with their parameters (`AUTH` → `PLAIN LOGIN`).
    var extensions: [String: String] = [:]
    private var buffer: [UInt8] = []

    private init(
        configuration: SMTPConfiguration, connection: OutboundConnection, total: ContinuousClock.Instant
    ) {
        self.configuration = configuration
        self.connection = connection
        self.total = total
    }

    /// Connects (TLS at once for SMTPS) and reads the 220 greeting.
    static func open(_ configuration: SMTPConfiguration) throws(SMTPError) -> SMTPSession {
        let start = ContinuousClock.now
        let total = start + .seconds(configuration.limits.totalTimeout)
        let connectDeadline = min(total, start + .seconds(configuration.limits.connectTimeout))
        let connection: OutboundConnection
        do {
            connection = try OutboundConnection.open(
                host: configuration.host, port: configuration.port, policy: configuration.destinationPolicy,
                deadline: connectDeadline)
            if configuration.security == .implicitTLS {
                try connection.startTLS(
                    context: configuration.tls, serverName: configuration.host, deadline: connectDeadline)
            }
        } catch {
            throw SMTPError(error, command: "connect")
        }
        let session = SMTPSession(configuration: configuration, connection: connection, total: total)
        try session.expect(220, to: "connect", session.readReply(deadline: connectDeadline))
        return session
    }

    var isTLS: Bool { connection.tls != nil }

    private var commandDeadline: ContinuousClock.Instant {
        min(total, .now + .seconds(configuration.limits.commandTimeout))
    }

    /// Sends `line` (CRLF added) and reads the reply. `name` is how errors refer to the
    /// command, so a password never lands in one.
    func command(_ line: String, name: String) throws(SMTPError) -> SMTPReply {
        try send(Array((line + "\r\n").utf8), name: name)
        return try readReply(deadline: commandDeadline, name: name)
    }

    /// Sends `line` and throws `.rejected` unless the reply code is `code`.
    @discardableResult
    func command(_ line: String, name: String, expecting code: Int) throws(SMTPError) -> SMTPReply {
        try expect(code, to: name, command(line, name: name))
    }

    @discardableResult
    func expect(_ code: Int, to name: String, _ reply: SMTPReply) throws(SMTPError) -> SMTPReply {
        guard reply.code == code else {
            throw SMTPError(.rejected, reply.text, code: reply.code, command: name)
        }
        return reply
    }

    func send(_ bytes: [UInt8], name: String) throws(SMTPError) {
        do { try connection.write(bytes, deadline: commandDeadline) } catch {
            throw SMTPError(error, command: name)
        }
    }

    /// Reads a whole (possibly multi-line) reply.
    func readReply(deadline: ContinuousClock.Instant, name: String = "connect") throws(SMTPError) -> SMTPReply
    {
        var lines: [String] = []
        while true {
            let line = try readLine(deadline: deadline, name: name)
            guard let parsed = SMTPReply.parseLine(line), lines.isEmpty || parsed.code == replyCode else {
                let text = String(decoding: line.prefix(80), as: UTF8.self)
                throw SMTPError(.protocolViolation, "malformed reply line '\(text)'", command: name)
            }
            replyCode = parsed.code
            lines.append(parsed.text)
            if parsed.isLast { return SMTPReply(code: parsed.code, lines: lines) }
            guard lines.count < SMTPLimits.maxReplyLines else {
                throw SMTPError(
                    .protocolViolation, "reply longer than \(SMTPLimits.maxReplyLines) lines", command: name)
            }
        }
    }

    /// The code of the reply being read, which every one of its lines must repeat.
    private var replyCode = 0

    private func readLine(deadline: ContinuousClock.Instant, name: String) throws(SMTPError) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let newline = buffer.firstIndex(of: 0x0a) {
                var line = Array(buffer[..<newline])
                buffer.removeFirst(newline + 1)
                if line.last == 0x0d { line.removeLast() }
                return line
            }
            guard buffer.count <= SMTPLimits.maxReplyLineBytes else {
                throw SMTPError(
                    .protocolViolation, "reply line longer than \(SMTPLimits.maxReplyLineBytes) bytes",
                    command: name)
            }
            let result = chunk.withUnsafeMutableBytes { raw in
                Result<Int, OutboundError> { () throws(OutboundError) in
                    try connection.read(into: raw, deadline: deadline)
                }
            }
            let count: Int
            do throws(OutboundError) { count = try result.get() } catch {
                throw SMTPError(error, command: name)
            }
            guard count > 0 else {
                throw SMTPError(.connect, "the server closed the connection", command: name)
            }
            buffer += chunk[0..<count]
        }
    }

    /// EHLO (HELO for servers that know no extensions), recording the extensions offered.
    func hello() throws(SMTPError) {
        let reply = try command("EHLO \(configuration.heloName)", name: "EHLO")
        if reply.code == 250 {
            extensions = [:]
            for line in reply.lines.dropFirst() {
                let parts = line.split(separator: " ", maxSplits: 1)
                guard let keyword = parts.first else { continue }
                extensions[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
            }
            return
        }
        // RFC 5321 §3.2: a server that rejects EHLO with 5xx may still take HELO.
        guard (500...599).contains(reply.code) else {
            throw SMTPError(.rejected, reply.text, code: reply.code, command: "EHLO")
        }
        try command("HELO \(configuration.heloName)", name: "HELO", expecting: 250)
        extensions = [:]
    }

    /// STARTTLS (RFC 3207) and the EHLO it requires afterwards.
    func startTLS() throws(SMTPError) {
        try command("STARTTLS", name: "STARTTLS", expecting: 220)
        // RFC 3207 §4.2: anything the server sent after its 220 came before TLS; drop it.
        guard buffer.isEmpty else {
            throw SMTPError(
                .protocolViolation, "bytes after the STARTTLS reply (command injection?)", command: "STARTTLS"
            )
        }
        do {
            try connection.startTLS(
                context: configuration.tls, serverName: configuration.host, deadline: commandDeadline)
        } catch {
            throw SMTPError(error, command: "STARTTLS")
        }
        try hello()
    }

    /// QUIT, best effort: the message is already accepted or already refused.
    func quit() {
        do {
            _ = try command("QUIT", name: "QUIT")
        } catch {
            // Nothing depends on QUIT's answer; closing ends the session either way.
        }
        connection.close()
    }
}
