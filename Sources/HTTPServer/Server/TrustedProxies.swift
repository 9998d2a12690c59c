import Outbound

/// The proxies whose `X-Forwarded-For` is believed (`INCIDENTD_TRUSTED_PROXIES`): when the
/// peer is in one of these ranges, the client is the rightmost forwarded address that is not,
/// since each proxy appends the address it heard from and only the part a trusted proxy
/// wrote can be relied on. From any other peer the header is ignored.
public struct TrustedProxies: Sendable, Equatable {
    public let ranges: [CIDR]

    public init(_ ranges: [CIDR] = []) { self.ranges = ranges }

    /// Parses comma-separated ranges (`10.0.0.0/8, ::1`); returns the entries that are not
    /// ranges when there are any.
    public static func parse(_ text: String) -> Result<TrustedProxies, InvalidRanges> {
        var ranges: [CIDR] = []
        var invalid: [String] = []
        for part in text.split(separator: ",") {
            let entry = Self.trimmed(part)
            guard !entry.isEmpty else { continue }
            if let range = CIDR(entry) { ranges.append(range) } else { invalid.append(entry) }
        }
        return invalid.isEmpty ? .success(TrustedProxies(ranges)) : .failure(InvalidRanges(entries: invalid))
    }

    /// Entries of a trusted-proxy list that are not address ranges.
    public struct InvalidRanges: Error, Sendable {
        public let entries: [String]
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `text` is an address in one of the ranges (IPv4-mapped IPv6 counts as IPv4).
    public func trusts(_ text: String) -> Bool {
        guard let address = Self.address(text) else { return false }
        return ranges.contains { $0.contains(address) }
    }

    /// The client behind `peer` (an IP without port): `peer` itself unless it is trusted and
    /// `forwardedFor` (the `X-Forwarded-For` values, in order) names someone further out.
    public func client(peer: String, forwardedFor: [String]) -> String {
        guard !ranges.isEmpty, !forwardedFor.isEmpty, trusts(peer) else { return peer }
        var client = peer
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            // Something that is not an address cannot be the client, nor trusted to have
            // written what is left of it: the last hop believed so far stands.
            guard let address = Self.address(Self.trimmed(hop)) else { break }
            client = address.description
            if !ranges.contains(where: { $0.contains(address) }) { break }
        }
        return client
    }

    /// An address from a forwarded hop or a peer: bare, bracketed, or with a port
    /// (`192.0.2.1:5000`, `[2001:db8::1]:443`, as some proxies write them); IPv4-mapped IPv6
    /// unwrapped.
    static func address(_ text: String) -> IPAddress? {
        var candidate = text
        if let parsed = IPAddress(candidate) { return unmapped(parsed) }
        if candidate.hasPrefix("["), let end = candidate.firstIndex(of: "]") {
            candidate = String(candidate[candidate.index(after: candidate.startIndex)..<end])
        } else if candidate.filter({ $0 == ":" }).count == 1, let colon = candidate.firstIndex(of: ":") {
            candidate = String(candidate[..<colon])
        } else {
            return nil
        }
        return IPAddress(candidate).map(unmapped)
    }

    /// `text` without the spaces and tabs around it (list items, RFC 9110 §5.6.1).
    private static func trimmed(_ text: Substring) -> String {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }

    private static func unmapped(_ address: IPAddress) -> IPAddress {
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff]
        guard address.bytes.count == 16, Array(address.bytes[0..<12]) == mappedPrefix else { return address }
        return IPAddress(bytes: Array(address.bytes[12..<16])) ?? address
    }
}
