import HTTPServer

/// The address a request is counted and audited against.
enum ClientAddress {
    /// The client's IP without its port: what the connection resolved (behind a trusted proxy,
    /// the forwarded client, ``TrustedProxies``), else the peer's.
    static func of(_ request: HTTPRequest) -> String {
        if !request.clientAddress.isEmpty { return request.clientAddress }
        let address = request.remoteAddress
        // The peer as the server writes it (`a.b.c.d:port`, `[v6]:port`): ASCII, read by bytes
        // (the `Character` walk below showed in the ingest profile; every trigger audits it).
        let utf8 = address.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            if utf8.first == UInt8(ascii: "["), let end = utf8.firstIndex(of: UInt8(ascii: "]")) {
                return String(address[utf8.index(after: utf8.startIndex)..<end])
            }
            var colons = 0
            var lastColon = utf8.endIndex
            for index in utf8.indices where utf8[index] == UInt8(ascii: ":") {
                colons += 1
                lastColon = index
            }
            return colons == 1 ? String(address[..<lastColon]) : address
        }
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") {
            return String(address[..<colon])
        }
        return address
    }
}
