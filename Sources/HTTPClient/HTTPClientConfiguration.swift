import Outbound
import TLS

/// What an `HTTPClient` trusts, where it may connect and how long it waits.
public struct HTTPClientConfiguration: Sendable {
    /// Client TLS context: system trust store plus the optional extra CA file, ALPN http/1.1.
    public var tls: TLSContext
    /// The SSRF guard: restricted ranges refused unless allowed.
    public var destinationPolicy: DestinationPolicy
    public var limits: HTTPClientLimits
    /// The `User-Agent` header, unless a request sets its own.
    public var userAgent: String
    /// Connections kept open for the next request to the same destination; nil (the default):
    /// one request per connection, `Connection: close`.
    public var keepAlive: KeepAlive?

    /// How many idle connections are kept and for how long.
    public struct KeepAlive: Sendable {
        /// Idle connections kept per destination (scheme, host, port).
        public var maxIdlePerDestination: Int
        /// Seconds an idle connection is kept: shorter than servers' own idle timeouts (5 s
        /// and more in common servers), so a connection is rarely reused as the server drops it.
        public var idleTimeout: Double

        public init(maxIdlePerDestination: Int = 8, idleTimeout: Double = 4) {
            self.maxIdlePerDestination = maxIdlePerDestination
            self.idleTimeout = idleTimeout
        }
    }

    public init(
        tls: TLSContext, destinationPolicy: DestinationPolicy = DestinationPolicy(),
        limits: HTTPClientLimits = HTTPClientLimits(), userAgent: String = "incidentd",
        keepAlive: KeepAlive? = nil
    ) {
        self.tls = tls
        self.destinationPolicy = destinationPolicy
        self.limits = limits
        self.userAgent = userAgent
        self.keepAlive = keepAlive
    }

    /// Builds the TLS context from `caFile` (PEM certificates trusted besides the system
    /// store); throws `.tls` when the file cannot be loaded.
    public init(
        caFile: String?, destinationPolicy: DestinationPolicy = DestinationPolicy(),
        limits: HTTPClientLimits = HTTPClientLimits(), userAgent: String = "incidentd",
        keepAlive: KeepAlive? = nil
    ) throws(HTTPClientError) {
        let context: TLSContext
        do { context = try TLSContext.client(caFile: caFile) } catch {
            throw HTTPClientError(.tls, error.message)
        }
        self.init(
            tls: context, destinationPolicy: destinationPolicy, limits: limits, userAgent: userAgent,
            keepAlive: keepAlive)
    }
}
