/// Why the local PostgreSQL cluster could not be set up, started or stopped; the message says
/// what to do about it.
public struct ClusterError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }
}
