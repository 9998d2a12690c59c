import Outbound
import TLS

#if canImport(Glibc)
    import Glibc
#endif

/// Where and how to submit mail, parsed from `smtp://[user:pass@]host[:port][?starttls=required]`
/// (STARTTLS when the server offers it, or always with `starttls=required`) or
/// `smtps://[user:pass@]host[:port]` (TLS from the first byte, RFC 8314).
public struct SMTPConfiguration: Sendable {
    /// How the connection is secured.
    public enum Security: Sendable, Equatable {
        /// STARTTLS when the server offers it, plain otherwise (credentials are then refused).
        case startTLSWhenOffered
        /// STARTTLS or fail.
        case startTLSRequired
        /// TLS from the first byte.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var user: String?
    public var password: String?
    /// The envelope sender (`MAIL FROM`), a bare address.
    public var from: String
    /// The name sent with EHLO: this machine's host name unless set.
    public var heloName: String
    /// Client TLS context (system trust store plus an optional CA file), for STARTTLS and SMTPS.
    public var tls: TLSContext
    /// The SSRF guard, applied to the server's addresses like any outbound destination.
    public var destinationPolicy: DestinationPolicy
    public var limits: SMTPLimits

    /// Parses `url`; `from` may be `Name <address>`, only the address is used for the envelope.
    public init(
        url: String, from: String, caFile: String? = nil,
        destinationPolicy: DestinationPolicy = DestinationPolicy(),
        limits: SMTPLimits = SMTPLimits(), heloName: String? = nil
    ) throws(SMTPError) {
        let parsed: OutboundURL
        do { parsed = try OutboundURL(url) } catch { throw SMTPError(error, command: nil) }
        switch parsed.scheme {
        case "smtp": security = .startTLSWhenOffered
        case "smtps": security = .implicitTLS
        default: throw SMTPError(.invalidConfiguration, "scheme '\(parsed.scheme)' is not smtp or smtps")
        }
        guard parsed.target == "/" || parsed.target.hasPrefix("/?") || parsed.target.hasPrefix("?") else {
            throw SMTPError(.invalidConfiguration, "an SMTP URL has no path")
        }
        for (name, value) in parsed.queryItems {
            guard name == "starttls", value == "required" else {
                throw SMTPError(
                    .invalidConfiguration,
                    "unknown SMTP URL option '\(name)=\(value)' (only starttls=required)")
            }
            if security == .startTLSWhenOffered { security = .startTLSRequired }
        }
        guard (parsed.user == nil) == (parsed.password == nil) else {
            throw SMTPError(.invalidConfiguration, "credentials in an SMTP URL are user:password@")
        }
        host = parsed.host
        port = parsed.port ?? (security == .implicitTLS ? 465 : 25)
        user = parsed.user
        password = parsed.password
        self.from = try MailAddress.envelope(from)
        let name = heloName ?? Self.systemHostName()
        // It goes on the EHLO line: one word of visible ASCII.
        guard !name.isEmpty, name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw SMTPError(
                .invalidConfiguration, "EHLO name '\(name.prefix(80))' must be one word of visible ASCII")
        }
        self.heloName = name
        do { tls = try TLSContext.client(caFile: caFile, alpn: []) } catch {
            throw SMTPError(.invalidConfiguration, error.message)
        }
        self.destinationPolicy = destinationPolicy
        self.limits = limits
    }

    /// `gethostname`, or `localhost` when it has none.
    static func systemHostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        let text = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "localhost" : text
    }
}
