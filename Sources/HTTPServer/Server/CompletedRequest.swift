import Log

/// What the server reports about each answered request, for metrics (`HTTPServer`'s
/// observer) and the access log.
public struct CompletedRequest: Sendable {
    public var method: HTTPMethod
    /// The decoded path; empty when the request line itself was refused.
    public var path: String
    /// The matched route pattern (`/api/v1/alerts/{id}`), nil for 404s and protocol errors.
    public var routePattern: String?
    public var status: Int
    /// From the request being complete (or refused) until its response was queued for writing.
    public var duration: Duration
    public var requestBodyBytes: Int
    public var responseBodyBytes: Int
    public var requestID: String
    public var remoteAddress: String
}

extension CompletedRequest {
    /// Appends the JSON access-log line (SPEC §6): method, path, route, status, body bytes,
    /// duration, request id, peer.
    func appendLogLine(to buffer: inout LogBuffer, timestamp: inout LogTimestamp) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds =
            UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds) / 1_000_000_000)
        buffer.begin(.info, "http.request", timestamp: &timestamp)
        buffer.append(literalKey: "method", string: method.rawValue)
        buffer.append(literalKey: "path", string: path)
        buffer.append(literalKey: "route", string: routePattern ?? "")
        buffer.append(literalKey: "status", int: status)
        buffer.append(literalKey: "bytes", int: responseBodyBytes)
        buffer.append(literalKey: "duration_ms", milliseconds: nanoseconds)
        buffer.append(literalKey: "request_id", string: requestID)
        buffer.append(literalKey: "remote", string: remoteAddress)
        buffer.end()
    }
}
