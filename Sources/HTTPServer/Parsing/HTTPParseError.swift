/// Every way a request can be refused while it is being read. Each maps to one status; the
/// connection answers with problem+json and `Connection: close`, then closes.
public enum HTTPParseError: Error, Sendable, Equatable, CaseIterable {
    /// The request line is longer than `maxRequestLineBytes` (RFC 9112 §3: 414).
    case requestLineTooLong
    /// Header section over `maxHeaderBytes` or `maxHeaderCount` (RFC 6585 §5: 431).
    case headersTooLarge
    /// Not `method SP request-target SP HTTP-version` (RFC 9112 §3).
    case invalidRequestLine
    /// A method longer than `HTTPLimits.maxMethodBytes`: no method we implement is that long
    /// (RFC 9110 §9.1: 501 for an unrecognized method).
    case methodTooLong
    /// The request-target is not origin-, absolute- or asterisk-form, or its path does not
    /// percent-decode to UTF-8 (RFC 9112 §3.2).
    case invalidTarget
    /// A syntactically valid version other than HTTP/1.x (RFC 9110 §15.6.6: 505).
    case unsupportedVersion
    /// The HTTP/2 connection preface `PRI * HTTP/2.0` (RFC 9113 §3.4) on an HTTP/1 server: 505.
    case http2Preface
    /// A line ended by LF without CR, or a CR not followed by LF (RFC 9112 §2.2).
    case invalidLineEnding
    /// A field line starting with whitespace: obs-fold (RFC 9112 §5.2).
    case obsoleteLineFolding
    /// A field name that is empty or not a token, or a line without a colon (RFC 9112 §5).
    case invalidHeaderName
    /// Whitespace between a field name and its colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// NUL, CR, LF or another control byte in a field value (RFC 9110 §5.5).
    case invalidHeaderValue
    /// HTTP/1.1 without `Host` (RFC 9112 §3.2).
    case missingHost
    /// More than one `Host` field line (RFC 9112 §3.2).
    case multipleHosts
    /// A `Host` value that is not `uri-host [":" port]` (RFC 9112 §3.2).
    case invalidHost
    /// Both `Content-Length` and `Transfer-Encoding` (RFC 9112 §6.1, a smuggling vector).
    case contentLengthWithTransferEncoding
    /// `Content-Length` values that differ (RFC 9110 §8.6).
    case conflictingContentLengths
    /// A `Content-Length` that is not 1*DIGIT or does not fit (RFC 9110 §8.6).
    case invalidContentLength
    /// `Transfer-Encoding` in an HTTP/1.0 request: framing is faulty (RFC 9112 §6.1).
    case transferEncodingInHTTP10
    /// `chunked` missing, not final, or applied twice (RFC 9112 §6.3 rule 4, §7.1).
    case chunkedNotFinal
    /// A transfer coding other than chunked, e.g. `gzip, chunked` (RFC 9112 §6.1: 501).
    case unsupportedTransferCoding
    /// A chunk-size line that is not `1*HEXDIG [chunk-ext] CRLF` (trailing whitespace, a bare
    /// `;`, an extension that is not `token [= token / quoted-string]`), overflows, or is too long.
    case invalidChunkSize
    /// Chunk data not followed by CRLF (RFC 9112 §7.1).
    case invalidChunkTerminator
    /// The body is larger than `maxBodyBytes` (RFC 9110 §15.5.14: 413).
    case bodyTooLarge
    /// An `Expect` other than `100-continue` (RFC 9110 §10.1.1: 417).
    case unsupportedExpectation

    /// The status this error is answered with.
    public var status: Int {
        switch self {
        case .requestLineTooLong: 414
        case .headersTooLarge: 431
        case .unsupportedVersion, .http2Preface: 505
        case .unsupportedTransferCoding, .methodTooLong: 501
        case .bodyTooLarge: 413
        case .unsupportedExpectation: 417
        default: 400
        }
    }

    /// A sentence for the problem's `detail`: says what was wrong, quotes nothing the client sent.
    public var detail: String {
        switch self {
        case .requestLineTooLong: "The request line is too long."
        case .headersTooLarge: "The header section is too large."
        case .invalidRequestLine: "The request line is malformed."
        case .methodTooLong: "The request method is too long to be one this server implements."
        case .invalidTarget: "The request target is malformed."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .http2Preface: "HTTP/2 is not supported on this port; use HTTP/1.1."
        case .invalidLineEnding: "Lines must end with CRLF."
        case .obsoleteLineFolding: "Obsolete line folding is not accepted."
        case .invalidHeaderName: "A header field name is malformed."
        case .whitespaceBeforeColon: "Whitespace between a header field name and the colon is not allowed."
        case .invalidHeaderValue: "A header field value contains a control character."
        case .missingHost: "HTTP/1.1 requests must carry a Host header."
        case .multipleHosts: "The request carries more than one Host header."
        case .invalidHost: "The Host header is malformed."
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding must not be combined."
        case .conflictingContentLengths: "The request carries conflicting Content-Length values."
        case .invalidContentLength: "The Content-Length is not a valid length."
        case .transferEncodingInHTTP10: "Transfer-Encoding is not allowed in HTTP/1.0 requests."
        case .chunkedNotFinal: "The final transfer coding must be chunked, applied once."
        case .unsupportedTransferCoding: "Only the chunked transfer coding is supported."
        case .invalidChunkSize: "A chunk size line is malformed."
        case .invalidChunkTerminator: "Chunk data must be followed by CRLF."
        case .bodyTooLarge: "The request body is too large."
        case .unsupportedExpectation: "Only the 100-continue expectation is supported."
        }
    }
}
