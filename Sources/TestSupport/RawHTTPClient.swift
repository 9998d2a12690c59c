import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client that sends raw bytes and reads raw HTTP/1.1 responses, for tests
/// that must control every byte on the wire. Every read has a deadline, so a test can
/// never hang on a silent server.
public final class RawHTTPClient {
    public let socket: Int32
    private let timeoutNanoseconds: UInt64
    /// Received bytes not yet returned as part of a response.
    var buffer: [UInt8] = []
    var peerClosed = false

    /// Connects to `host:port` (numeric IPv4 or IPv6).
    public init(host: String = "127.0.0.1", port: Int, timeout: Duration = .seconds(5)) throws {
        let (seconds, attoseconds) = timeout.components
        timeoutNanoseconds = UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        socket = try Self.connect(host: host, port: port)
    }

    private var closed = false

    deinit { close() }

    /// Closes the socket (once).
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(socket)
    }

    /// Whether something accepts connections on `host:port` (false on ECONNREFUSED).
    public static func canConnect(host: String = "127.0.0.1", port: Int) -> Bool {
        guard let socket = try? connect(host: host, port: port) else { return false }
        Glibc.close(socket)
        return true
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Writes all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw RawHTTPClientError.system(operation: "send", errno: errno)
            }
            offset += written
        }
    }

    /// Reads one response (a `100 Continue` counts as one). `forHead`: the request was HEAD,
    /// so there is no body whatever Content-Length says.
    public func readResponse(forHead: Bool = false) throws -> RawHTTPResponse {
        let deadline = Self.now() + timeoutNanoseconds
        var headEnd = findHeadEnd()
        while headEnd == nil {
            guard try fill(until: deadline) else {
                throw RawHTTPClientError.closedByPeer(bytesBuffered: buffer.count)
            }
            headEnd = findHeadEnd()
        }
        var response = try Self.parseHead(Array(buffer[..<headEnd!]))
        buffer.removeFirst(headEnd! + 4)
        let bodyless = forHead || response.status < 200 || response.status == 204 || response.status == 304
        if bodyless { return response }
        if response.headers["Transfer-Encoding"]?.lowercased() == "chunked" {
            response.body = try readChunkedBody(until: deadline)
        } else if let lengthText = response.headers["Content-Length"] {
            guard let length = Int(lengthText) else {
                throw RawHTTPClientError.malformedResponse("Content-Length")
            }
            while buffer.count < length {
                guard try fill(until: deadline) else {
                    throw RawHTTPClientError.closedByPeer(bytesBuffered: buffer.count)
                }
            }
            response.body = Array(buffer[..<length])
            buffer.removeFirst(length)
        } else {
            while try fill(until: deadline) {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Sends `request` and reads the response.
    public func exchange(_ request: String, forHead: Bool = false) throws -> RawHTTPResponse {
        try send(request)
        return try readResponse(forHead: forHead)
    }

    /// Whether the server closes the connection within `timeout` (EOF or reset) without
    /// sending anything more. False when bytes arrive or the connection stays open.
    public func waitForClose(timeout: Duration = .seconds(2)) -> Bool {
        if !buffer.isEmpty { return false }
        if peerClosed { return true }
        let (seconds, attoseconds) = timeout.components
        let deadline = Self.now() + UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
        do {
            return try !fill(until: deadline) && buffer.isEmpty
        } catch RawHTTPClientError.system(_, let code) where code == ECONNRESET {
            return true
        } catch {
            return false
        }
    }

    /// Closes the client's side.
    public func shutdownWrite() { Glibc.shutdown(socket, Int32(SHUT_WR)) }
}
