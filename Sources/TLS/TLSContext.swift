import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSL `SSL_CTX` set up one way for this project: TLS 1.2 or newer, forward-secret AEAD
/// ciphers, ALPN, and (for clients) peer verification against the system store plus an optional
/// extra CA file.
///
/// A context is immutable once built and shared by every session made from it, on any thread
/// (OpenSSL locks the parts of `SSL_CTX` that sessions touch). Reloading certificates means
/// building a new context; sessions keep the one they started with.
public final class TLSContext: @unchecked Sendable {
    /// Whether sessions made from this context connect or accept.
    public enum Role: Sendable, Equatable {
        case client
        case server
    }

    /// TLS 1.2 suites: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 only (Mozilla's
    /// "intermediate" list without finite-field DHE). TLS 1.3 keeps OpenSSL's default suites,
    /// which are all AEAD.
    public static let tls12Ciphers =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        + "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        + "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    /// The protocol HTTP speaks in ALPN.
    public static let http11 = "http/1.1"

    let handle: OpaquePointer
    public let role: Role
    /// ALPN protocols in wire format (length-prefixed), owned by the context because the
    /// server's selection callback reads them for as long as the context lives.
    private let alpnWire: UnsafeMutableBufferPointer<UInt8>

    private init(role: Role, alpn: [String]) throws(TLSError) {
        guard alpn.allSatisfy({ !$0.isEmpty && $0.utf8.count < 256 }) else {
            throw TLSError(.configuration, "ALPN protocol names must be 1 to 255 bytes")
        }
        ERR_clear_error()
        let method = role == .client ? TLS_client_method() : TLS_server_method()
        guard let context = SSL_CTX_new(method) else {
            throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "SSL_CTX_new failed"))
        }
        handle = context
        self.role = role
        let wire = alpn.flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) }
        // A zero length byte ends the list for the server's selection callback.
        alpnWire = .allocate(capacity: wire.count + 1)
        _ = alpnWire.initialize(from: wire + [0])
        guard incidentd_ssl_ctx_set_min_tls12(context) == 1,
            SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1
        else { throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "cipher setup failed")) }
        incidentd_ssl_ctx_set_modes(context)
        incidentd_ssl_ctx_set_options(context)
        if !wire.isEmpty { try configureALPN(wireCount: wire.count) }
    }

    deinit {
        SSL_CTX_free(handle)
        alpnWire.deallocate()
    }

    /// A client context verifying peers against the system trust store and, when given,
    /// the PEM certificates in `caFile` as well.
    public static func client(caFile: String? = nil, alpn: [String] = [http11]) throws(TLSError) -> TLSContext
    {
        let context = try TLSContext(role: .client, alpn: alpn)
        SSL_CTX_set_verify(context.handle, SSL_VERIFY_PEER, nil)
        guard SSL_CTX_set_default_verify_paths(context.handle) == 1 else {
            throw TLSError(
                .configuration, OpenSSLErrors.drain(fallback: "cannot load the system trust store"))
        }
        if let caFile {
            guard SSL_CTX_load_verify_locations(context.handle, caFile, nil) == 1 else {
                let reason = OpenSSLErrors.drain(fallback: "no certificates")
                throw TLSError(.configuration, "cannot load CA file \(caFile): \(reason)")
            }
        }
        return context
    }

    /// A server context presenting the PEM chain in `certificateChainFile` (leaf first) with
    /// the PEM key in `privateKeyFile`.
    public static func server(
        certificateChainFile: String, privateKeyFile: String, alpn: [String] = [http11]
    ) throws(TLSError) -> TLSContext {
        let context = try TLSContext(role: .server, alpn: alpn)
        incidentd_ssl_ctx_release_buffers(context.handle)
        incidentd_ssl_ctx_read_ahead(context.handle)
        guard SSL_CTX_use_certificate_chain_file(context.handle, certificateChainFile) == 1 else {
            let reason = OpenSSLErrors.drain(fallback: "no certificate")
            throw TLSError(.configuration, "cannot load certificate chain \(certificateChainFile): \(reason)")
        }
        guard SSL_CTX_use_PrivateKey_file(context.handle, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            let reason = OpenSSLErrors.drain(fallback: "no key")
            throw TLSError(.configuration, "cannot load private key \(privateKeyFile): \(reason)")
        }
        guard SSL_CTX_check_private_key(context.handle) == 1 else {
            throw TLSError(.configuration, "private key \(privateKeyFile) does not match the certificate")
        }
        return context
    }

    private func configureALPN(wireCount: Int) throws(TLSError) {
        switch role {
        case .client:
            // SSL_CTX_set_alpn_protos returns 0 on success, unlike most of OpenSSL.
            guard SSL_CTX_set_alpn_protos(handle, alpnWire.baseAddress, UInt32(wireCount)) == 0 else {
                throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "ALPN setup failed"))
            }
        case .server:
            SSL_CTX_set_alpn_select_cb(
                handle, TLSContext.selectALPN, UnsafeMutableRawPointer(alpnWire.baseAddress))
        }
    }

    /// Server-side ALPN: the first of our protocols the client offers. `out` points into the
    /// client's list, which outlives the callback. With no common protocol the handshake goes
    /// on without ALPN (RFC 7301 §3.2 allows either; clients that insist on h2 will stop).
    private static let selectALPN:
        @convention(c) (
            OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
            UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
        ) -> Int32 = { _, out, outLength, offered, offeredLength, ours in
            guard let out, let outLength, let offered, let ours else { return SSL_TLSEXT_ERR_NOACK }
            let ourList = ours.assumingMemoryBound(to: UInt8.self)
            var ourIndex = 0
            // Our list ends at the first zero length byte; the context built it without zeros.
            while ourList[ourIndex] != 0 {
                let ourLength = Int(ourList[ourIndex])
                var index = 0
                while index < Int(offeredLength) {
                    let length = Int(offered[index])
                    if length == ourLength, index + 1 + length <= Int(offeredLength),
                        memcmp(offered + index + 1, ourList + ourIndex + 1, length) == 0
                    {
                        out.pointee = offered + index + 1
                        outLength.pointee = UInt8(length)
                        return SSL_TLSEXT_ERR_OK
                    }
                    index += 1 + length
                }
                ourIndex += 1 + ourLength
            }
            return SSL_TLSEXT_ERR_NOACK
        }
}
