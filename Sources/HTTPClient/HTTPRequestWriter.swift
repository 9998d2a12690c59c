/// Serialises a request as HTTP/1.1 bytes, refusing anything that would change its framing.
enum HTTPRequestWriter {
    /// Headers the client writes itself; a caller's copies are dropped.
    static let ownHeaders: Set<String> = ["host", "content-length", "transfer-encoding", "connection"]

    /// `keepAlive`: the connection may carry further requests (HTTP/1.1's default), else
    /// `Connection: close`.
    static func serialize(
        _ request: HTTPClientRequest, to target: HTTPTarget, userAgent: String, keepAlive: Bool = false
    ) throws(HTTPClientError) -> [UInt8] {
        guard isToken(request.method) else {
            throw HTTPClientError(.invalidURL, "method '\(request.method)' is not an HTTP token")
        }
        var head = "\(request.method) \(target.url.target) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        let callerSetsAgent = request.headers.contains { $0.name.lowercased() == "user-agent" }
        if !callerSetsAgent { head += "User-Agent: \(userAgent)\r\n" }
        for (name, value) in request.headers where !ownHeaders.contains(name.lowercased()) {
            guard isToken(name) else {
                throw HTTPClientError(.invalidURL, "header name '\(name)' is not a token")
            }
            // RFC 9110 §5.5: CR, LF and NUL in a value would split or end the head.
            guard !value.utf8.contains(where: { $0 == 0x0d || $0 == 0x0a || $0 == 0 }) else {
                throw HTTPClientError(.invalidURL, "header \(name) has a line break or NUL in its value")
            }
            head += "\(name): \(value)\r\n"
        }
        let method = request.method.uppercased()
        if !request.body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) {
            head += "Content-Length: \(request.body.count)\r\n"
        }
        // Without keep-alive, one request per connection: the response ends where the
        // connection does at worst. With it, a connection is only kept after a response read
        // to its exact end (HTTPClient.reusable).
        head += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        return Array(head.utf8) + request.body
    }

    /// RFC 9110 §5.6.2 token characters.
    static func isToken(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"):
                    true
                default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
                }
            }
    }
}
