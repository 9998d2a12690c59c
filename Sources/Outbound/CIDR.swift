/// An address range such as `127.0.0.0/8` or `fc00::/7`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The first address of the range (host bits cleared).
    public let network: IPAddress
    /// Leading bits that addresses in the range share: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Parses `address/prefix`, or a bare address as a single-address range. Host bits set in
    /// the address are cleared (`10.1.2.3/8` is `10.0.0.0/8`), as `ip route` and Go do.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.bytes.count * 8
        var length = maximum
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= maximum
            else { return nil }
            length = value
        }
        self.init(network: address, prefixLength: length)
    }

    /// The range of `prefixLength` leading bits of `network`.
    public init(network: IPAddress, prefixLength: Int) {
        precondition(prefixLength >= 0 && prefixLength <= network.bytes.count * 8, "prefix out of range")
        self.network = IPAddress(bytes: CIDR.mask(network.bytes, prefixLength))!  // same byte count
        self.prefixLength = prefixLength
    }

    /// Whether `address` is in the range; an IPv4 range never contains an IPv6 address and
    /// the other way round (IPv6 forms of IPv4 addresses are unwrapped by the caller).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        return CIDR.mask(address.bytes, prefixLength) == network.bytes
    }

    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        var masked = bytes
        for index in masked.indices {
            let bitsHere = max(0, min(8, length - index * 8))
            masked[index] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
        }
        return masked
    }
}
