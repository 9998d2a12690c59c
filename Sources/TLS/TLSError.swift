/// A TLS failure, with the kind a caller decides on and a message for logs.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A context could not be built (unreadable certificate, key or CA file).
        case configuration
        /// The handshake failed for a reason other than the peer's certificate.
        case handshake
        /// The peer's certificate chain or host name did not verify.
        case verification
        /// The socket failed underneath TLS.
        case io
        /// The peer closed the connection in the middle of a handshake or write.
        case closed
        /// A blocking call ran out of time.
        case timeout
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "TLS \(kind): \(message)" }
}
