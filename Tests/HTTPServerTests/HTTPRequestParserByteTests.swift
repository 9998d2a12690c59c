import Testing

@testable import HTTPServer

/// Every one of the 256 byte values in each position that has a grammar.
@Suite struct HTTPRequestParserByteTests {
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    @Test func acceptsExactlyTokenCharactersInAHeaderName() {
        for value in 0...255 {
            let byte = UInt8(value)
            let bytes = Array("GET / HTTP/1.1\r\nHost: x\r\nX".utf8) + [byte] + Array("Y: v\r\n\r\n".utf8)
            let error = ParserHarness.error(bytes)
            // A colon ends the name early ("X" with value "Y: v"), which is valid.
            let acceptable = Self.isTokenCharacter(byte) || byte == UInt8(ascii: ":")
            #expect((error == nil) == acceptable, "byte \(value): \(String(describing: error))")
        }
    }

    @Test func refusesControlCharactersInAHeaderValue() {
        for value in 0...255 {
            let byte = UInt8(value)
            let bytes =
                Array("GET / HTTP/1.1\r\nHost: x\r\nX-Value: a".utf8) + [byte] + Array("b\r\n\r\n".utf8)
            let error = ParserHarness.error(bytes)
            // RFC 9110 §5.5: VCHAR, obs-text, SP and HTAB only.
            let acceptable = byte == 0x09 || byte == 0x20 || (byte >= 0x21 && byte != 0x7F)
            #expect((error == nil) == acceptable, "byte \(value): \(String(describing: error))")
        }
    }

    @Test func refusesControlCharactersAndSpacesInTheRequestTarget() {
        for value in 0...255 {
            let byte = UInt8(value)
            let bytes = Array("GET /a".utf8) + [byte] + Array("b HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let error = ParserHarness.error(bytes)
            // Visible ASCII, but no fragment and no malformed percent-escape ("%b ").
            let acceptable =
                byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "%")
            #expect((error == nil) == acceptable, "byte \(value): \(String(describing: error))")
        }
    }

    @Test func acceptsExactlyTokenCharactersInTheMethod() {
        for value in 0...255 {
            let byte = UInt8(value)
            let bytes = Array("G".utf8) + [byte] + Array("T / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let error = ParserHarness.error(bytes)
            #expect(
                (error == nil) == Self.isTokenCharacter(byte), "byte \(value): \(String(describing: error))")
        }
    }
}
