import Outbound
import TLS

/// A blocking HTTP/1.1 client for worker threads: one connection per request, or kept alive
/// for the next request to the same destination when ``HTTPClientConfiguration/keepAlive`` is
/// set (plain or TLS, verified), the destination checked against the SSRF guard whenever a
/// connection is opened, every wait bounded, redirects returned rather than followed, response
/// bodies capped.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration
    /// Idle connections, with keep-alive.
    let pool: HTTPConnectionPool?

    public init(configuration: HTTPClientConfiguration) {
        self.configuration = configuration
        pool = configuration.keepAlive.map {
            HTTPConnectionPool(
                maxIdlePerDestination: $0.maxIdlePerDestination,
                idleTimeout: .milliseconds(Int64($0.idleTimeout * 1000)))
        }
    }

    deinit { pool?.closeAll() }

    /// Sends `request` and reads the whole response. With keep-alive, an idle connection to the
    /// destination is used first; when the server turns out to have closed it before answering
    /// anything, the request goes once more on a new connection (a receiver sees it at most
    /// twice, as it would after a retry).
    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let start = ContinuousClock.now
        let total = start + .seconds(configuration.limits.totalTimeout)
        let target = try HTTPTarget(request.url)
        let bytes = try HTTPRequestWriter.serialize(
            request, to: target, userAgent: configuration.userAgent, keepAlive: pool != nil)
        let key = HTTPConnectionPool.Key(isTLS: target.isTLS, host: target.url.host, port: target.port)
        if let pool, let idle = pool.take(key) {
            do {
                return try exchange(bytes, method: request.method, on: idle, key: key, total: total)
            } catch {
                guard error.receivedNothing, error.cause.kind == .connect else { throw error.cause }
            }
        }
        let connection = try open(target, start: start, total: total)
        do {
            return try exchange(bytes, method: request.method, on: connection, key: key, total: total)
        } catch {
            throw error.cause
        }
    }

    /// A new connection to `target`, checked by the SSRF guard, TLS started for HTTPS.
    private func open(_ target: HTTPTarget, start: ContinuousClock.Instant, total: ContinuousClock.Instant)
        throws(HTTPClientError) -> OutboundConnection
    {
        do {
            let connectDeadline = min(total, start + .seconds(configuration.limits.connectTimeout))
            let connection = try OutboundConnection.open(
                host: target.url.host, port: target.port, policy: configuration.destinationPolicy,
                deadline: connectDeadline)
            if target.isTLS {
                try connection.startTLS(
                    context: configuration.tls, serverName: target.url.host, deadline: connectDeadline)
            }
            return connection
        } catch {
            throw HTTPClientError(error)
        }
    }

    /// Why an exchange failed, and whether any byte of a response had come.
    struct ExchangeFailure: Error {
        let cause: HTTPClientError
        let receivedNothing: Bool
    }

    /// Writes `bytes` on `connection` and reads the response; the connection is then kept for
    /// the next request (keep-alive, the response read to its exact end, nobody said close) or
    /// closed.
    private func exchange(
        _ bytes: [UInt8], method: String, on connection: OutboundConnection, key: HTTPConnectionPool.Key,
        total: ContinuousClock.Instant
    ) throws(ExchangeFailure) -> HTTPClientResponse {
        let readTimeout = configuration.limits.readTimeout
        func ioDeadline() -> ContinuousClock.Instant { min(total, .now + .seconds(readTimeout)) }
        do {
            try connection.write(bytes, deadline: ioDeadline())
        } catch {
            connection.close()
            throw ExchangeFailure(cause: HTTPClientError(error), receivedNothing: true)
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var reader = HTTPResponseReader(maxBodyBytes: configuration.limits.maxResponseBytes) {
            () throws(HTTPClientError) in
            let result = chunk.withUnsafeMutableBytes { raw in
                Result<Int, OutboundError> { () throws(OutboundError) in
                    try connection.read(into: raw, deadline: ioDeadline())
                }
            }
            let count: Int
            do throws(OutboundError) { count = try result.get() } catch { throw HTTPClientError(error) }
            return Array(chunk[0..<count])
        }
        let response: HTTPClientResponse
        do {
            response = try reader.readResponse(method: method)
        } catch {
            connection.close()
            throw ExchangeFailure(cause: error, receivedNothing: reader.bytesReceived == 0)
        }
        let closes =
            response.header("Connection")?.lowercased().split(separator: ",")
            .contains { $0.trimmingWhitespace() == "close" } ?? false
        if let pool, reader.isAtMessageEnd, !reader.isHTTP10, !closes {
            pool.put(connection, for: key)
        } else {
            connection.close()
        }
        return response
    }

    /// Checks a URL when it is configured (a channel being created): it must be an http(s) URL
    /// whose host is not, and does not resolve to, a restricted address outside the allow
    /// list. Throws `.invalidURL` or `.refusedDestination`; a name that does not resolve yet
    /// passes (it is checked again at every connect).
    public func checkDestination(url: String) throws(HTTPClientError) {
        try Self.checkDestination(url: url, policy: configuration.destinationPolicy)
    }

    /// ``checkDestination(url:)`` against `policy`, for callers that hold no client (the API
    /// checking a channel's URL with the configured SSRF guard).
    public static func checkDestination(url: String, policy: DestinationPolicy) throws(HTTPClientError) {
        let target = try HTTPTarget(url)
        do { try policy.checkHost(target.url.host) } catch {
            throw HTTPClientError(error)
        }
    }
}
