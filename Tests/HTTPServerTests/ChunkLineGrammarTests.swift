import Testing

@testable import HTTPServer

/// The chunk-size line (RFC 9112 §7.1): every byte value in each position of the grammar.
@Suite struct ChunkLineGrammarTests {
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// qdtext (RFC 9110 §5.6.4): HTAB, SP, `!`, `#`–`[`, `]`–`~`, obs-text.
    static func isQuotedTextCharacter(_ byte: UInt8) -> Bool {
        byte == 0x09 || byte == 0x20 || byte == 0x21 || (0x23...0x5B).contains(byte)
            || (0x5D...0x7E).contains(byte) || byte >= 0x80
    }

    static func size(_ line: [UInt8]) -> Int? {
        line.withUnsafeBufferPointer { HTTPRequestParser.parseChunkSize($0) }
    }

    @Test func acceptsOnlyHexDigitsAsTheSecondByteOfALine() {
        for value in 0...255 {
            let byte = UInt8(value)
            let accepted = Self.size(Array("5".utf8) + [byte]) != nil
            #expect(accepted == Self.isHexDigit(byte), "byte \(value)")
        }
    }

    @Test func refusesWhitespaceAfterTheSizeWithoutAnExtension() {
        for line in ["5 ", "5\t", "5  ", "0 ", "a \t"] {
            #expect(Self.size(Array(line.utf8)) == nil, "\(line.debugDescription)")
        }
    }

    @Test func acceptsExactlyTokenCharactersAsAnExtensionName() {
        for value in 0...255 {
            let byte = UInt8(value)
            let accepted = Self.size(Array("5;".utf8) + [byte]) != nil
            #expect(accepted == Self.isTokenCharacter(byte), "byte \(value)")
        }
    }

    @Test func acceptsExactlyTokenCharactersAsAnUnquotedExtensionValue() {
        for value in 0...255 {
            let byte = UInt8(value)
            let accepted = Self.size(Array("5;a=".utf8) + [byte]) != nil
            #expect(accepted == Self.isTokenCharacter(byte), "byte \(value)")
        }
    }

    @Test func acceptsExactlyQuotedTextInAQuotedExtensionValue() {
        for value in 0...255 {
            let byte = UInt8(value)
            let accepted = Self.size(Array("5;a=\"".utf8) + [byte] + Array("\"".utf8)) != nil
            #expect(accepted == Self.isQuotedTextCharacter(byte), "byte \(value)")
        }
    }

    @Test func acceptsAQuotedPairOfAnyVisibleByteOrWhitespace() {
        for value in 0...255 {
            let byte = UInt8(value)
            let accepted = Self.size(Array("5;a=\"\\".utf8) + [byte] + Array("\"".utf8)) != nil
            let expected = byte == 0x09 || (byte >= 0x20 && byte != 0x7F)
            #expect(accepted == expected, "byte \(value)")
        }
    }

    @Test func readsTheSizeOfWellFormedLines() {
        let lines: [(String, Int)] = [
            ("0", 0), ("5", 5), ("Ff", 255), ("5;a", 5), ("5;a=b", 5), ("5 ;a", 5), ("5; a = b", 5),
            ("5;a=b;c", 5), ("5;a=\"\"", 5), ("5;a=\"x;y\";b=c", 5),
            ("fffffffffffffff", 0xfff_ffff_ffff_ffff),
        ]
        for (line, size) in lines {
            #expect(Self.size(Array(line.utf8)) == size, "\(line.debugDescription)")
        }
    }

    @Test func refusesMalformedLines() {
        let lines = [
            "", ";a", "5;", "5; ", "5;;a", "5;a=", "5;a= ", "5;a=b ", "5;a=\"", "5;a=\"x", "5;a=\"x\"y",
            "5;a=b=c", "5 5", "5,a", "ffffffffffffffff", "-5", "+5", "0x5", "5;a b",
        ]
        for line in lines {
            #expect(Self.size(Array(line.utf8)) == nil, "\(line.debugDescription)")
        }
    }

    @Test func refusesAMethodLongerThanTheLimitBeforeTheLineEnds() {
        let method = String(repeating: "X", count: HTTPLimits.maxMethodBytes + 1)
        #expect(ParserHarness.error(method) == .methodTooLong)
        #expect(ParserHarness.error(String(method.dropLast())) == nil)
        #expect(ParserHarness.error(method + " / HTTP/1.1\r\nHost: x\r\n\r\n") == .methodTooLong)
        let longest = String(repeating: "X", count: HTTPLimits.maxMethodBytes)
        #expect(ParserHarness.error(longest + " / HTTP/1.1\r\nHost: x\r\n\r\n") == nil)
    }
}
