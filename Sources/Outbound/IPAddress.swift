#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 (4 bytes) or IPv6 (16 bytes) address, in network byte order.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Wraps 4 or 16 bytes; nil for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses numeric text strictly (`inet_pton`): dotted-quad IPv4 or IPv6, brackets allowed
    /// around IPv6. Legacy forms such as `127.1` or `2130706433` are not literals here (they
    /// go through the resolver, whose answers are checked like any other).
    public init?(_ text: String) {
        let bare = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if !bare.contains(":"), inet_pton(AF_INET, bare, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv6 address carries in a form that reaches IPv4 hosts, so the
    /// destination check cannot be bypassed by writing `127.0.0.1` as IPv6: IPv4-mapped
    /// (`::ffff:0:0/96`), IPv4-compatible (`::/96`, deprecated), NAT64 (`64:ff9b::/96`) and
    /// 6to4 (`2002::/16`). Nil for IPv4 addresses and other IPv6 addresses.
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let mapped: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        let nat64: [UInt8] = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]
        let prefix = Array(bytes[0..<12])
        if prefix == mapped || prefix == nat64 { return IPAddress(bytes: Array(bytes[12..<16])) }
        if prefix.allSatisfy({ $0 == 0 }) {
            // `::` and `::1` are IPv6's own unspecified and loopback addresses.
            let tail = Array(bytes[12..<16])
            return tail == [0, 0, 0, 0] || tail == [0, 0, 0, 1] ? nil : IPAddress(bytes: tail)
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 { return IPAddress(bytes: Array(bytes[2..<6])) }
        return nil
    }

    /// Canonical text (`inet_ntop`): `127.0.0.1`, `::ffff:127.0.0.1`, `fd00:ec2::254`.
    public var description: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = isIPv4 ? AF_INET : AF_INET6
        _ = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The address text as it goes in a URL authority or Host header (`[::1]` for IPv6).
    public var uriText: String { isIPv4 ? description : "[\(description)]" }
}
