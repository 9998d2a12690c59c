import HTTPServer

/// The address a request is counted and audited against.
enum ClientAddress {
    /// The client's IP without its port: what the connection resolved (behind a trusted proxy,
    /// the forwarded client, ``TrustedProxies``), else the peer's.
    static func of(_ request: HTTPRequest) -> String {
        if !request.clientAddress.isEmpty { return request.clientAddress }
        let address = request.remoteAddress
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") {
            return String(address[..<colon])
        }
        return address
    }
}
