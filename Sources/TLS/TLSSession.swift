import COpenSSL

#if canImport(Glibc)
    import Glibc
#endif

/// One TLS connection over a socket the caller owns and has made non-blocking.
///
/// Every call returns at once: when OpenSSL needs the socket to become readable or writable
/// the call says so (`.wantRead`, `.wantWrite`) and the caller retries the same call once it
/// is, from an epoll loop or with `poll` (`TLSSession+Blocking.swift` does the latter). A
/// session is used by one thread at a time; closing the socket stays the caller's job.
public final class TLSSession {
    /// Progress of a handshake or shutdown.
    public enum Progress: Sendable, Equatable {
        case complete
        case wantRead
        case wantWrite
    }

    /// Outcome of one read or write.
    public enum Transfer: Sendable, Equatable {
        /// This many bytes were read or written (never zero).
        case bytes(Int)
        case wantRead
        case wantWrite
        /// The peer ended the stream (close_notify, or EOF, see `incidentd_ssl_ctx_set_options`).
        case closed
    }

    let handle: OpaquePointer
    public let context: TLSContext
    public let socket: Int32
    /// Nonzero when the socket BIO's last read came back short (server sessions only, set by
    /// the read callback `incidentd_ssl_watch_reads` installs; stays 0 for clients).
    private let lastReadShort: UnsafeMutablePointer<Int32>

    /// OpenSSL's socket BIO writes with write(2), so a peer that has gone away would raise
    /// SIGPIPE and kill the process; ignore it, as the server already does at start.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    private init(context: TLSContext, socket: Int32) throws(TLSError) {
        _ = Self.ignoreSIGPIPE
        ERR_clear_error()
        guard let ssl = SSL_new(context.handle) else {
            throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "SSL_new failed"))
        }
        handle = ssl
        self.context = context
        self.socket = socket
        lastReadShort = .allocate(capacity: 1)
        lastReadShort.initialize(to: 0)
        guard SSL_set_fd(ssl, socket) == 1 else {
            throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "SSL_set_fd failed"))
        }
    }

    deinit {
        SSL_free(handle)
        lastReadShort.deallocate()
    }

    /// A client session that will verify the server's certificate chain and that it was issued
    /// for `serverName` (a DNS name, sent as SNI, or an IP address literal, matched against
    /// the certificate's IP SANs).
    public static func client(context: TLSContext, socket: Int32, serverName: String) throws(TLSError)
        -> TLSSession
    {
        guard context.role == .client else { throw TLSError(.configuration, "not a client context") }
        let session = try TLSSession(context: context, socket: socket)
        try session.expectPeer(named: serverName)
        SSL_set_connect_state(session.handle)
        return session
    }

    /// A server session for an accepted socket.
    public static func server(context: TLSContext, socket: Int32) throws(TLSError) -> TLSSession {
        guard context.role == .server else { throw TLSError(.configuration, "not a server context") }
        let session = try TLSSession(context: context, socket: socket)
        SSL_set_accept_state(session.handle)
        incidentd_ssl_watch_reads(session.handle, session.lastReadShort)
        return session
    }

    private func expectPeer(named name: String) throws(TLSError) {
        let bare = name.hasPrefix("[") && name.hasSuffix("]") ? String(name.dropFirst().dropLast()) : name
        guard !bare.isEmpty, !bare.utf8.contains(0) else {
            throw TLSError(.configuration, "empty server name")
        }
        if Self.isIPLiteral(bare) {
            // RFC 6066 §3: SNI carries host names only, never addresses.
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), bare) == 1 else {
                throw TLSError(.configuration, "cannot expect IP address \(bare)")
            }
            return
        }
        SSL_set_hostflags(handle, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(handle, bare) == 1, incidentd_ssl_set_sni(handle, bare) == 1 else {
            throw TLSError(.configuration, OpenSSLErrors.drain(fallback: "cannot expect host name \(bare)"))
        }
    }

    static func isIPLiteral(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Advances the handshake.
    public func handshake() throws(TLSError) -> Progress {
        ERR_clear_error()
        let result = SSL_do_handshake(handle)
        if result == 1 { return .complete }
        switch SSL_get_error(handle, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default: throw handshakeFailure(result)
        }
    }

    private func handshakeFailure(_ result: Int32) -> TLSError {
        let verify = SSL_get_verify_result(handle)
        if context.role == .client, verify != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verify))
            return TLSError(.verification, "certificate verify failed: \(reason)")
        }
        return failure(result, during: "handshake", kind: .handshake)
    }

    /// Reads up to `buffer.count` decrypted bytes.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Transfer {
        guard buffer.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_read_ex(handle, buffer.baseAddress, buffer.count, &count)
        if result == 1 { return .bytes(count) }
        switch SSL_get_error(handle, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        default: throw failure(result, during: "read", kind: .io)
        }
    }

    /// Writes some of `bytes` (partial writes are on); retry with the rest after `.bytes(n)`,
    /// or with the same bytes after `.wantRead`/`.wantWrite`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(TLSError) -> Transfer {
        guard bytes.count > 0 else { return .bytes(0) }
        ERR_clear_error()
        var count = 0
        let result = SSL_write_ex(handle, bytes.baseAddress, bytes.count, &count)
        if result == 1 { return .bytes(count) }
        switch SSL_get_error(handle, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        default: throw failure(result, during: "write", kind: .io)
        }
    }

    /// Sends close_notify (one step; `.complete` once it went out). Waiting for the peer's
    /// reply is not needed before closing the socket (RFC 8446 §6.1).
    public func shutdown() -> Progress {
        ERR_clear_error()
        let result = SSL_shutdown(handle)
        if result >= 0 { return .complete }
        switch SSL_get_error(handle, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default:
            ERR_clear_error()
            return .complete
        }
    }

    /// Decrypted bytes buffered inside OpenSSL: an epoll loop must read them before waiting
    /// for the socket, which will not signal them.
    public var pendingBytes: Int { Int(SSL_pending(handle)) }

    /// True when OpenSSL holds no unread bytes (decrypted or not) and its last read from the
    /// socket came back short: the socket had nothing more, so an edge-triggered loop may
    /// wait for readiness instead of reading again only to be told `.wantRead`. Server
    /// sessions only (their context reads ahead); always false for clients.
    public var inputExhausted: Bool { lastReadShort.pointee != 0 && SSL_has_pending(handle) == 0 }

    /// The protocol agreed through ALPN, if any.
    public var negotiatedProtocol: String? {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(handle, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    /// `TLSv1.3`, `TLSv1.2`, ...
    public var protocolVersion: String { String(cString: SSL_get_version(handle)) }

    private func failure(_ result: Int32, during step: String, kind: TLSError.Kind) -> TLSError {
        let code = SSL_get_error(handle, result)
        if code == SSL_ERROR_ZERO_RETURN {
            return TLSError(.closed, "\(step): the peer closed the connection")
        }
        if code == SSL_ERROR_SYSCALL {
            let saved = errno
            let queued = OpenSSLErrors.drain(fallback: "")
            if !queued.isEmpty { return TLSError(kind, "\(step): \(queued)") }
            if saved == 0 { return TLSError(.closed, "\(step): the peer closed the connection") }
            return TLSError(.io, "\(step): \(String(cString: strerror(saved)))")
        }
        return TLSError(kind, "\(step): \(OpenSSLErrors.drain(fallback: "SSL error \(code)"))")
    }
}
