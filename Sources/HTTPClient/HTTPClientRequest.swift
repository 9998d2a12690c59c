/// One outbound request. `url` is absolute (`https://host[:port]/path?query`).
public struct HTTPClientRequest: Sendable {
    public var method: String
    public var url: String
    /// Sent in order after `Host` and `User-Agent`. `Host`, `Content-Length`,
    /// `Transfer-Encoding` and `Connection` are the client's own and are dropped from here.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
