import Outbound
import Testing

@Suite struct CIDRTests {
    @Test func parsesIPv4AndIPv6RangesAndBareAddresses() throws {
        let v4 = try #require(CIDR("10.0.0.0/8"))
        #expect(v4.prefixLength == 8 && v4.network.description == "10.0.0.0")
        let v6 = try #require(CIDR("fc00::/7"))
        #expect(v6.prefixLength == 7 && v6.network.description == "fc00::")
        #expect(CIDR("192.0.2.1")?.prefixLength == 32)
        #expect(CIDR("::1")?.prefixLength == 128)
        #expect(CIDR("0.0.0.0/0")?.contains(IPAddress("203.0.113.9")!) == true)
    }

    @Test func clearsHostBitsOfTheNetworkAddress() {
        #expect(CIDR("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDR("fe80::1234/10")?.description == "fe80::/10")
        #expect(CIDR("172.31.255.255/12")?.description == "172.16.0.0/12")
    }

    @Test func rejectsMalformedRanges() {
        for text in [
            "", "/8", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0/8",
            "127.1",
            "10.0.0.0/ 8", "example.com/8", "10.0.0.0/0x8", "[::1]/128x", "1.2.3.4/0008",
        ] {
            #expect(CIDR(text) == nil, "\(text) should not parse")
        }
    }

    @Test func containsExactlyTheAddressesSharingThePrefix() throws {
        let range = try #require(CIDR("100.64.0.0/10"))
        #expect(range.contains(IPAddress("100.64.0.0")!))
        #expect(range.contains(IPAddress("100.127.255.255")!))
        #expect(!range.contains(IPAddress("100.128.0.0")!))
        #expect(!range.contains(IPAddress("100.63.255.255")!))
        let ula = try #require(CIDR("fc00::/7"))
        #expect(ula.contains(IPAddress("fd12:3456::1")!))
        #expect(!ula.contains(IPAddress("fe00::1")!))
    }

    @Test func neverMatchesAcrossAddressFamilies() throws {
        let everythingV4 = try #require(CIDR("0.0.0.0/0"))
        #expect(!everythingV4.contains(IPAddress("::ffff:10.0.0.1")!))
        let everythingV6 = try #require(CIDR("::/0"))
        #expect(!everythingV6.contains(IPAddress("10.0.0.1")!))
    }

    /// Every prefix length of one address against a brute-force bit comparison.
    @Test func matchingAgreesWithBitByBitComparisonForEveryPrefixLength() throws {
        let base = IPAddress("2001:db8:85a3::8a2e:370:7334")!
        let probes = (0..<128).map { bit -> IPAddress in
            var bytes = base.bytes
            bytes[bit / 8] ^= UInt8(0x80 >> (bit % 8))
            return IPAddress(bytes: bytes)!
        }
        for length in 0...128 {
            let range = CIDR(network: base, prefixLength: length)
            #expect(range.contains(base))
            for (bit, probe) in probes.enumerated() {
                #expect(range.contains(probe) == (bit >= length), "/\(length) flipping bit \(bit)")
            }
        }
    }
}
