import Foundation

/// A response a handler returns. The server adds `Content-Length`, `Date`, `Server`,
/// `Connection` and `X-Request-ID`; values a handler sets for those are ignored.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The route pattern that produced this response (set by the `Router`), for metrics and
    /// logs; never sent.
    public var routePattern: String?
    /// A body written over time (SSE, an export) instead of `body`: the connection sends the
    /// head with `Transfer-Encoding: chunked` and hands the stream a sink (``HTTPStreamBody``).
    public var stream: HTTPStreamBody?

    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A streamed answer (``HTTPStreamBody``): status 200 with these headers, then the body
    /// as the stream writes it.
    public static func streaming(_ stream: HTTPStreamBody, headers: HTTPHeaders) -> HTTPResponse {
        var response = HTTPResponse(status: 200, headers: headers)
        response.stream = stream
        return response
    }

    /// The media type of JSON bodies (SPEC §4).
    public static let jsonContentType = "application/json; charset=utf-8"

    /// An already-encoded JSON body: the fast path for small fixed answers such as
    /// `{"status":"ok"}`, encoded once at startup.
    public static func json(bytes: [UInt8], status: Int = 200, headers: HTTPHeaders = HTTPHeaders())
        -> HTTPResponse
    {
        var response = HTTPResponse(status: status, headers: headers, body: bytes)
        response.headers.set(name: "Content-Type", value: jsonContentType)
        return response
    }

    /// Encodes `value` as JSON with sorted keys, so equal values give equal bytes (and ETags).
    public static func json<Value: Encodable>(
        _ value: Value, status: Int = 200, headers: HTTPHeaders = HTTPHeaders(),
        encoder: JSONEncoder = HTTPResponse.makeEncoder()
    ) throws -> HTTPResponse {
        json(bytes: Array(try encoder.encode(value)), status: status, headers: headers)
    }

    /// The encoder `json(_:)` uses by default: sorted keys, unescaped slashes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// A plain-text body (`text/plain; charset=utf-8` unless `contentType` says otherwise).
    public static func text(
        _ text: String, status: Int = 200, contentType: String = "text/plain; charset=utf-8",
        headers: HTTPHeaders = HTTPHeaders()
    ) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
        response.headers.set(name: "Content-Type", value: contentType)
        return response
    }

    /// An `application/problem+json` body (RFC 9457) with the problem's status and headers.
    public static func problem(_ problem: ProblemDetails) -> HTTPResponse {
        var response = HTTPResponse(
            status: problem.status, headers: problem.headers, body: problem.jsonBytes())
        response.headers.set(name: "Content-Type", value: ProblemDetails.contentType)
        return response
    }
}
