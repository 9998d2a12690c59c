import TLS

/// HTTPS on the server's port: where the certificate chain and key are read from, at start and
/// again on every ``HTTPServer/reloadCertificates()`` (SIGHUP in `incidentd serve`).
public struct HTTPServerTLS: Sendable, Equatable {
    /// PEM: the server certificate first, then its intermediates.
    public var certificateChainFile: String
    /// PEM private key of the certificate.
    public var privateKeyFile: String

    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }

    /// Reads both files into a server context (TLS 1.2+, the shared cipher list, ALPN
    /// `http/1.1`); throws when either cannot be used, so a caller can refuse to start.
    public func validate() throws(TLSError) { _ = try makeContext() }

    func makeContext() throws(TLSError) -> TLSContext {
        try TLSContext.server(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile)
    }
}
