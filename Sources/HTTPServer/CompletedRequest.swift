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
    /// One JSON access-log line (SPEC §6): method, path, status, bytes, duration, request id.
    func log(to logger: Logger) {
        let milliseconds =
            Double(duration.components.attoseconds / 1_000_000_000_000) / 1000
            + Double(duration.components.seconds) * 1000
        logger.info(
            "http.request",
            [
                "method": .string(method.rawValue),
                "path": .string(path),
                "route": .string(routePattern ?? ""),
                "status": .int(status),
                "bytes": .int(responseBodyBytes),
                "duration_ms": .double(milliseconds),
                "request_id": .string(requestID),
                "remote": .string(remoteAddress),
            ])
    }
}
