import Outbound

/// Why a request got no response. A response with any status, 3xx and 5xx included, is not
/// an error.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// What went wrong; the message says the details.
    public enum Kind: Sendable, Equatable {
        /// Not an `http://` or `https://` URL we can send to (also a header that cannot be sent).
        case invalidURL
        /// The host is or resolves to a restricted address not in the allow list (SSRF guard).
        case refusedDestination
        /// The host name did not resolve.
        case dns
        /// No connection could be made, or the connection was reset or closed before the
        /// response was complete.
        case connect
        /// The TLS handshake failed or the certificate did not verify for the host.
        case tls
        /// The connect, read or total timeout passed.
        case timeout
        /// The receiver's answer is not well-formed HTTP/1.x.
        case protocolViolation
        /// The response body is larger than `HTTPClientLimits.maxResponseBytes`.
        case responseTooLarge
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }

    init(_ error: OutboundError) {
        switch error.kind {
        case .invalidURL, .invalidConfiguration: self.init(.invalidURL, error.message)
        case .refusedDestination: self.init(.refusedDestination, error.message)
        case .dns: self.init(.dns, error.message)
        case .connect: self.init(.connect, error.message)
        case .tls: self.init(.tls, error.message)
        case .timeout: self.init(.timeout, error.message)
        case .closed, .io: self.init(.connect, "connection lost: \(error.message)")
        }
    }
}
