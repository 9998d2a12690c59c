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

    public init(
        tls: TLSContext, destinationPolicy: DestinationPolicy = DestinationPolicy(),
        limits: HTTPClientLimits = HTTPClientLimits(), userAgent: String = "incidentd"
    ) {
        self.tls = tls
        self.destinationPolicy = destinationPolicy
        self.limits = limits
        self.userAgent = userAgent
    }

    /// Builds the TLS context from `caFile` (PEM certificates trusted besides the system
    /// store); throws `.tls` when the file cannot be loaded.
    public init(
        caFile: String?, destinationPolicy: DestinationPolicy = DestinationPolicy(),
        limits: HTTPClientLimits = HTTPClientLimits(), userAgent: String = "incidentd"
    ) throws(HTTPClientError) {
        let context: TLSContext
        do { context = try TLSContext.client(caFile: caFile) } catch {
            throw HTTPClientError(.tls, error.message)
        }
        self.init(tls: context, destinationPolicy: destinationPolicy, limits: limits, userAgent: userAgent)
    }
}
