/// Bounds on one message's delivery. RFC 5321 §4.5.3.2 suggests minutes per command for
/// relays; a notifier prefers to give up sooner and retry later.
public struct SMTPLimits: Sendable {
    /// Seconds to resolve, connect, finish an SMTPS handshake and read the greeting.
    public var connectTimeout: Double
    /// Seconds to wait for each reply (STARTTLS handshake included).
    public var commandTimeout: Double
    /// Seconds for the whole dialogue, connect to QUIT.
    public var totalTimeout: Double

    /// Longest reply line accepted (RFC 5321 §4.5.3.1.5 says 512; some servers say more).
    public static let maxReplyLineBytes = 4096
    /// Most lines in one reply (EHLO lists extensions one per line).
    public static let maxReplyLines = 100

    public init(connectTimeout: Double = 10, commandTimeout: Double = 30, totalTimeout: Double = 60) {
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.totalTimeout = totalTimeout
    }
}
