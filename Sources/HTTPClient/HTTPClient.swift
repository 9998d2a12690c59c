import Outbound
import TLS

/// A blocking HTTP/1.1 client for worker threads: one connection per request (plain or TLS,
/// verified), the destination checked against the SSRF guard, every wait bounded, redirects
/// returned rather than followed, response bodies capped.
public final class HTTPClient: Sendable {
    public let configuration: HTTPClientConfiguration

    public init(configuration: HTTPClientConfiguration) {
        self.configuration = configuration
    }

    /// Sends `request` and reads the whole response.
    public func send(_ request: HTTPClientRequest) throws(HTTPClientError) -> HTTPClientResponse {
        let limits = configuration.limits
        let start = ContinuousClock.now
        let total = start + .seconds(limits.totalTimeout)
        let target = try HTTPTarget(request.url)
        let bytes = try HTTPRequestWriter.serialize(request, to: target, userAgent: configuration.userAgent)
        let connection: OutboundConnection
        do {
            let connectDeadline = min(total, start + .seconds(limits.connectTimeout))
            connection = try OutboundConnection.open(
                host: target.url.host, port: target.port, policy: configuration.destinationPolicy,
                deadline: connectDeadline)
            if target.isTLS {
                try connection.startTLS(
                    context: configuration.tls, serverName: target.url.host, deadline: connectDeadline)
            }
        } catch {
            throw HTTPClientError(error)
        }
        defer { connection.close() }
        func ioDeadline() -> ContinuousClock.Instant { min(total, .now + .seconds(limits.readTimeout)) }
        do { try connection.write(bytes, deadline: ioDeadline()) } catch { throw HTTPClientError(error) }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        var reader = HTTPResponseReader(maxBodyBytes: limits.maxResponseBytes) { () throws(HTTPClientError) in
            let result = chunk.withUnsafeMutableBytes { raw in
                Result<Int, OutboundError> { () throws(OutboundError) in
                    try connection.read(into: raw, deadline: ioDeadline())
                }
            }
            let count: Int
            do throws(OutboundError) { count = try result.get() } catch { throw HTTPClientError(error) }
            return Array(chunk[0..<count])
        }
        return try reader.readResponse(method: request.method)
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
