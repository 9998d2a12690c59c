/// Request ids (SPEC §6): a client's `X-Request-ID` when it is sane, else 16 random hex
/// digits from a per-loop xorshift generator seeded from the system's CSPRNG (no syscall
/// per request; ids need to be unique, not secret).
struct RequestIDGenerator {
    /// The longest client-supplied id echoed back.
    static let maxClientIDLength = 128

    private var state: UInt64

    init() {
        var system = SystemRandomNumberGenerator()
        state = system.next() | 1
    }

    /// The id to use for a request that carried `header` as its `X-Request-ID`.
    mutating func id(honouring header: String?) -> String {
        if let header, Self.isAcceptable(header) { return header }
        return next()
    }

    /// 16 hex digits.
    mutating func next() -> String {
        // xorshift64* (Vigna 2016).
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        let value = state &* 0x2545_F491_4F6C_DD1D
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 { bytes[index] = digits[Int((value >> (60 - 4 * UInt64(index))) & 0xF)] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// 1–128 characters of `[A-Za-z0-9._-]`: safe to log and to echo in a header.
    static func isAcceptable(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard !utf8.isEmpty, utf8.count <= maxClientIDLength else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "-"):
                return true
            default:
                return false
            }
        }
    }
}
