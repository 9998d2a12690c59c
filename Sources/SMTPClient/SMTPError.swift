import Outbound

/// Why a message was not accepted: the server's refusal (with its reply code and text) or a
/// failure to reach or talk to the server.
public struct SMTPError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The SMTP URL, sender or credentials are unusable.
        case invalidConfiguration
        /// The message cannot be sent as it is (an address or Message-ID with a line break, ...).
        case invalidMessage
        /// The server's host is or resolves to a restricted address outside the allow list.
        case refusedDestination
        case dns
        /// No connection could be made, or it was lost in the middle of the dialogue.
        case connect
        /// STARTTLS was required but not offered, or the handshake or certificate failed, or
        /// credentials would have gone over an unencrypted connection.
        case tls
        /// A connect, command or total timeout passed.
        case timeout
        /// The server's reply is not well-formed SMTP.
        case protocolViolation
        /// The server refused a command: `code` and `text` are its reply.
        case rejected
    }

    public let kind: Kind
    /// The server's reply code when it refused something (`550`, `451`, `535`, ...).
    public let code: Int?
    /// The server's reply text for a refusal, or what went wrong.
    public let text: String
    /// The command that was refused or cut short (`RCPT TO`, `DATA`, `AUTH`, ...), if any.
    public let command: String?

    public init(_ kind: Kind, _ text: String, code: Int? = nil, command: String? = nil) {
        self.kind = kind
        self.text = text
        self.code = code
        self.command = command
    }

    /// Whether trying again later may succeed: a 4xx refusal (RFC 5321 §4.2.1 "transient
    /// negative completion") and failures to reach the server are; a 5xx refusal and a
    /// configuration or message error are permanent.
    public var isTransient: Bool {
        switch kind {
        case .rejected: (400...499).contains(code ?? 500)
        case .dns, .connect, .tls, .timeout, .protocolViolation: true
        case .invalidConfiguration, .invalidMessage, .refusedDestination: false
        }
    }

    public var description: String {
        let at = command.map { " at \($0)" } ?? ""
        let reply = code.map { "\($0) " } ?? ""
        return "SMTP \(kind)\(at): \(reply)\(text)"
    }

    init(_ error: OutboundError, command: String?) {
        switch error.kind {
        case .invalidURL, .invalidConfiguration:
            self.init(.invalidConfiguration, error.message, command: command)
        case .refusedDestination: self.init(.refusedDestination, error.message, command: command)
        case .dns: self.init(.dns, error.message, command: command)
        case .connect, .closed, .io: self.init(.connect, error.message, command: command)
        case .tls: self.init(.tls, error.message, command: command)
        case .timeout: self.init(.timeout, error.message, command: command)
        }
    }
}
