import Outbound
import Testing

@Suite struct IPAddressTests {
    @Test func parsesOnlyStrictNumericForms() {
        #expect(IPAddress("127.0.0.1")?.bytes == [127, 0, 0, 1])
        #expect(IPAddress("[::1]")?.description == "::1")
        #expect(IPAddress("::ffff:127.0.0.1")?.bytes.count == 16)
        for text in ["127.1", "2130706433", "0x7f.0.0.1", "localhost", "", "1.2.3.4.5", "::1%lo", "[::1"] {
            #expect(IPAddress(text) == nil, "\(text) is not a strict literal")
        }
    }

    @Test func unwrapsEveryIPv6FormThatCarriesAnIPv4Address() {
        #expect(IPAddress("::ffff:169.254.169.254")?.embeddedIPv4?.description == "169.254.169.254")
        #expect(IPAddress("::ffff:7f00:1")?.embeddedIPv4?.description == "127.0.0.1")
        #expect(IPAddress("::10.0.0.1")?.embeddedIPv4?.description == "10.0.0.1")
        #expect(IPAddress("64:ff9b::192.168.1.1")?.embeddedIPv4?.description == "192.168.1.1")
        #expect(IPAddress("2002:a00:1::")?.embeddedIPv4?.description == "10.0.0.1")
        #expect(IPAddress("::1")?.embeddedIPv4 == nil)
        #expect(IPAddress("::")?.embeddedIPv4 == nil)
        #expect(IPAddress("2001:db8::1")?.embeddedIPv4 == nil)
        #expect(IPAddress("10.0.0.1")?.embeddedIPv4 == nil)
    }

    @Test func printsIPv6InBracketsForURIs() {
        #expect(IPAddress("::1")?.uriText == "[::1]")
        #expect(IPAddress("192.0.2.1")?.uriText == "192.0.2.1")
    }
}
