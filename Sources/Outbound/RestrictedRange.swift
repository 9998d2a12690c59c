/// An address range outbound connections may not reach unless an allow list says so: the
/// machine itself, private networks, link-local and cloud metadata services (SSRF targets).
public struct RestrictedRange: Sendable {
    /// What the range is, for refusal messages (`loopback`, `cloud metadata`, ...).
    public let name: String
    public let range: CIDR

    init(_ name: String, _ text: String) {
        self.name = name
        self.range = CIDR(text)!  // literal table below; RestrictedRangeTests parses every entry
    }

    /// Checked in order, so the narrow metadata entries name themselves before the wider
    /// link-local and unique-local ranges that hold them.
    public static let all: [RestrictedRange] = [
        RestrictedRange("cloud metadata", "169.254.169.254/32"),
        RestrictedRange("cloud metadata", "fd00:ec2::254/128"),
        RestrictedRange("unspecified", "0.0.0.0/8"),  // RFC 1122 "this network"
        RestrictedRange("private", "10.0.0.0/8"),  // RFC 1918
        RestrictedRange("carrier-grade NAT", "100.64.0.0/10"),  // RFC 6598
        RestrictedRange("loopback", "127.0.0.0/8"),
        RestrictedRange("link-local", "169.254.0.0/16"),  // RFC 3927
        RestrictedRange("private", "172.16.0.0/12"),  // RFC 1918
        RestrictedRange("private", "192.168.0.0/16"),  // RFC 1918
        RestrictedRange("multicast", "224.0.0.0/4"),
        RestrictedRange("reserved", "240.0.0.0/4"),  // RFC 1112, includes broadcast
        RestrictedRange("unspecified", "::/128"),
        RestrictedRange("loopback", "::1/128"),
        RestrictedRange("unique local (private)", "fc00::/7"),  // RFC 4193
        RestrictedRange("site-local", "fec0::/10"),  // RFC 3879, deprecated private
        RestrictedRange("link-local", "fe80::/10"),
        RestrictedRange("multicast", "ff00::/8"),
    ]
}
