import Crypto
import Testing

@Suite struct CryptoTests {
    @Test func sha256MatchesTheFIPSVectorForABC() {
        #expect(
            Crypto.hex(Crypto.sha256("abc"))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hmacSHA256MatchesRFC4231TestCase2() {
        let mac = Crypto.hmacSHA256(
            key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(Crypto.hex(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        let bytes: [UInt8] = [0, 15, 16, 255]
        #expect(Crypto.bytes(fromHex: Crypto.hex(bytes)) == bytes)
        #expect(Crypto.bytes(fromHex: "0g") == nil)
        #expect(Crypto.bytes(fromHex: "abc") == nil)
    }

    @Test func randomTokensDifferAndUseTheAlphabet() {
        let first = Crypto.randomToken(32)
        let second = Crypto.randomToken(32)
        #expect(first.count == 32)
        #expect(first != second)
        #expect(first.allSatisfy { "abcdefghijkmnpqrstuvwxyz23456789".contains($0) })
    }
}
