/// Which addresses outbound connections may reach: everything except the restricted ranges
/// (`RestrictedRange.all`), unless an address is in the allow list.
///
/// The check is applied to every address a host resolves to, at connect time, and to the
/// address actually connected to, so a DNS answer cannot smuggle in a private address; it is
/// also applied when a destination is configured (`checkHost`), to refuse it early.
public struct DestinationPolicy: Sendable {
    /// Ranges that are reachable even though restricted (for example `127.0.0.0/8` in tests).
    public let allowList: [CIDR]

    public init(allowing allowList: [CIDR] = []) {
        self.allowList = allowList
    }

    /// Parses a comma-separated allow list (`127.0.0.0/8, ::1`); empty text allows nothing.
    public init(allowList text: String) throws(OutboundError) {
        var ranges: [CIDR] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingSpaces()
            if trimmed.isEmpty { continue }
            guard let range = CIDR(trimmed) else {
                throw OutboundError(
                    .invalidConfiguration, "'\(trimmed)' is not a CIDR range such as 127.0.0.0/8")
            }
            ranges.append(range)
        }
        self.init(allowing: ranges)
    }

    /// Why `address` may not be reached, or nil when it may. An IPv6 address carrying an IPv4
    /// address (mapped, compatible, NAT64, 6to4) is judged by both.
    public func refusal(for address: IPAddress) -> String? {
        let candidates = [address] + (address.embeddedIPv4.map { [$0] } ?? [])
        if candidates.contains(where: { candidate in allowList.contains { $0.contains(candidate) } }) {
            return nil
        }
        for candidate in candidates {
            if let restricted = RestrictedRange.all.first(where: { $0.range.contains(candidate) }) {
                let via = candidate == address ? "" : " (via \(address))"
                return "\(candidate)\(via) is in the \(restricted.name) range \(restricted.range)"
                    + " and not in the outbound allow list"
            }
        }
        return nil
    }

    /// Throws `.refusedDestination` when `address` may not be reached.
    public func check(_ address: IPAddress) throws(OutboundError) {
        if let reason = refusal(for: address) { throw OutboundError(.refusedDestination, reason) }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
