/// Size limits on what a client may send, each answered with its own status (SPEC §6).
public struct HTTPLimits: Sendable, Equatable {
    public static let defaultMaxRequestLineBytes = 8 * 1024  // 414 URI Too Long
    public static let defaultMaxHeaderBytes = 16 * 1024  // 431 Request Header Fields Too Large
    public static let defaultMaxHeaderCount = 100  // 431 Request Header Fields Too Large
    public static let defaultMaxBodyBytes = 1024 * 1024  // 413 Content Too Large
    public static let defaultMaxChunkLineBytes = 4 * 1024  // 400 Bad Request (chunk-size line)
    /// The longest method accepted; longer is 501 and close. The longest registered method
    /// (IANA HTTP Method Registry) is `UPDATEREDIRECTREF`, 17 bytes.
    public static let maxMethodBytes = 32  // 501 Not Implemented

    /// Bytes of the request line including CRLF.
    public var maxRequestLineBytes = defaultMaxRequestLineBytes
    /// Bytes of all header field lines (and, separately, of chunked trailers) including CRLFs.
    public var maxHeaderBytes = defaultMaxHeaderBytes
    public var maxHeaderCount = defaultMaxHeaderCount
    /// Decoded body bytes; a larger `Content-Length` is refused before the body is read.
    public var maxBodyBytes = defaultMaxBodyBytes
    /// A chunk-size line with its extensions (RFC 9112 §7.1.1).
    public var maxChunkLineBytes = defaultMaxChunkLineBytes

    public init() {}
}

/// How long the server waits for a client before giving up on it (SPEC §6).
public struct HTTPTimeouts: Sendable, Equatable {
    public static let defaultHeader = Duration.seconds(10)  // 408, then close
    public static let defaultIdle = Duration.seconds(60)  // close silently
    public static let defaultBody = Duration.seconds(10)  // 408, then close
    public static let defaultWrite = Duration.seconds(10)  // close
    public static let defaultLinger = Duration.seconds(2)  // close
    public static let defaultRequestRead = Duration.seconds(30)  // 408, then close
    public static let defaultRequestDeadline = Duration.seconds(10)  // 503 from the database layer

    /// From the first byte of a request (or from accept) until its header section is complete.
    public var header = defaultHeader
    /// A keep-alive connection with no request in progress.
    public var idle = defaultIdle
    /// Between two reads that bring body bytes.
    public var body = defaultBody
    /// From the first byte of a request until its last body byte, whatever the pace: a
    /// client trickling one byte just inside `body` is cut here (Go's `ReadTimeout`; nginx's
    /// `client_header_timeout` and `client_body_timeout` are per read, like `header`/`body`).
    public var requestRead = defaultRequestRead
    /// From the end of a request's head until its answer is due: the handler reads it as
    /// `HTTPRequest.deadline` and hands it to what it waits on (the database). Not enforced
    /// here: the handler answers (503 when the database did not make it), never the server.
    public var requestDeadline = defaultRequestDeadline
    /// Between two writes that make progress, when the client does not read its response.
    public var write = defaultWrite
    /// After an error response and `shutdown(SHUT_WR)`: how long unread input is drained so
    /// the close does not become a reset that destroys the response in flight.
    public var linger = defaultLinger

    public init() {}

    /// The smallest timeout, which sets how often each event loop sweeps for expired ones.
    var shortest: Duration { min(header, idle, body, write, linger, requestRead) }
}
