import HTTPServer

/// A response as `RawHTTPClient` read it off the wire.
public struct RawHTTPResponse: Sendable {
    public var version: String
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? { headers[name] }
}

/// Why `RawHTTPClient` could not do what it was asked.
public enum RawHTTPClientError: Error, Sendable, CustomStringConvertible {
    case timedOut(String)
    case closedByPeer(bytesBuffered: Int)
    case malformedResponse(String)
    case system(operation: String, errno: Int32)

    public var description: String {
        switch self {
        case .timedOut(let what): "timed out waiting for \(what)"
        case .closedByPeer(let count): "the server closed the connection (\(count) bytes unread)"
        case .malformedResponse(let why): "malformed response: \(why)"
        case .system(let operation, let code): "\(operation) failed with errno \(code)"
        }
    }
}
