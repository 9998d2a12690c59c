/// Why an outbound connection could not be made or used.
public struct OutboundError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for the caller to decide on (retry, refuse, report).
    public enum Kind: Sendable, Equatable {
        /// The URL or host text is not one we can connect to.
        case invalidURL
        /// An allow list or other setting is malformed.
        case invalidConfiguration
        /// The destination resolves to a restricted range that is not in the allow list.
        case refusedDestination
        /// The host name did not resolve.
        case dns
        /// No resolved address accepted a connection.
        case connect
        /// The TLS handshake or certificate verification failed.
        case tls
        /// A deadline passed.
        case timeout
        /// The peer closed the connection while we still expected to write or read.
        case closed
        /// The socket failed after the connection was made.
        case io
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
