import Outbound
import Testing

@Suite struct DestinationPolicyTests {
    let strict = DestinationPolicy()

    @Test(arguments: [
        ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
        ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.254", "private"),
        ("192.168.0.10", "private"), ("fd12:3456::1", "unique local"), ("fc00::1", "unique local"),
        ("169.254.1.1", "link-local"), ("fe80::1", "link-local"), ("100.64.0.1", "carrier-grade NAT"),
        ("100.100.100.200", "carrier-grade NAT"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
        ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("255.255.255.255", "reserved"),
        ("169.254.169.254", "cloud metadata"), ("fd00:ec2::254", "cloud metadata"), ("fec0::1", "site-local"),
    ])
    func refusesRestrictedAddressesNamingTheRange(address: String, range: String) throws {
        let reason = try #require(strict.refusal(for: IPAddress(address)!))
        #expect(reason.contains(range), "\(address): \(reason)")
    }

    @Test(arguments: [
        "93.184.216.34", "8.8.8.8", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0",
        "2606:4700::1111", "192.169.0.1", "11.0.0.1",
    ])
    func allowsPublicAddresses(address: String) {
        #expect(strict.refusal(for: IPAddress(address)!) == nil)
    }

    @Test(arguments: [
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::", "2002:c0a8:101::1",
    ])
    func refusesIPv4AddressesWrittenAsIPv6(address: String) {
        #expect(strict.refusal(for: IPAddress(address)!) != nil, "\(address) must not bypass the guard")
    }

    @Test func anAllowListRangeOpensItsAddressesAndTheirIPv6Forms() throws {
        let policy = try DestinationPolicy(allowList: "127.0.0.0/8, ::1/128")
        #expect(policy.refusal(for: IPAddress("127.0.0.1")!) == nil)
        #expect(policy.refusal(for: IPAddress("::1")!) == nil)
        #expect(policy.refusal(for: IPAddress("::ffff:127.0.0.1")!) == nil)
        #expect(policy.refusal(for: IPAddress("10.0.0.1")!) != nil)
        #expect(policy.refusal(for: IPAddress("169.254.169.254")!) != nil)
    }

    @Test func parsesAllowListsAndNamesABadEntry() throws {
        #expect(try DestinationPolicy(allowList: "").allowList.isEmpty)
        #expect(
            try DestinationPolicy(allowList: " 10.0.0.0/8 ,,fd00::/8 ").allowList.map(\.description) == [
                "10.0.0.0/8", "fd00::/8",
            ])
        let error = try #require(throws: OutboundError.self) {
            try DestinationPolicy(allowList: "127.0.0.0/8,localhost")
        }
        #expect(error.kind == .invalidConfiguration)
        #expect(error.message.contains("'localhost'"))
    }

    @Test func everyRestrictedRangeIsRefusedWithoutAnAllowList() {
        for restricted in RestrictedRange.all {
            #expect(strict.refusal(for: restricted.range.network) != nil, "\(restricted.range)")
        }
    }
}
