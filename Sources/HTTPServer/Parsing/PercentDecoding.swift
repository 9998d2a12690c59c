/// Percent-decoding (RFC 3986 §2.1) for paths, query strings and form bodies.
enum PercentDecoding {
    /// Decodes `%XX` escapes; `plusAsSpace` applies the form-urlencoded rule (WHATWG URL §5.1)
    /// used by query strings and form bodies. Returns nil on a malformed escape or when the
    /// result is not valid UTF-8.
    static func decode<C: Collection<UInt8>>(_ bytes: C, plusAsSpace: Bool) -> String? {
        // Fast path: nothing to decode. Plain ASCII (every path and most queries) is valid
        // UTF-8 as it stands, so it skips the generic validation, which was a tenth of a
        // cached poll's cost (docs/PERFORMANCE.md, "Performance: profile and cuts").
        var ascii = true
        for byte in bytes {
            if byte == UInt8(ascii: "%") || (plusAsSpace && byte == UInt8(ascii: "+")) {
                ascii = false
                break
            }
            if byte >= 0x80 { ascii = false }
        }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
            return String(validating: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first != bytes.endIndex else { return nil }
                let second = bytes.index(after: first)
                guard second != bytes.endIndex, let high = ByteClass.hexValue(bytes[first]),
                    let low = ByteClass.hexValue(bytes[second])
                else { return nil }
                output.append(high << 4 | low)
                index = bytes.index(after: second)
                continue
            }
            output.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        return String(validating: output, as: UTF8.self)
    }

    /// Decodes leniently: a malformed escape is kept literally rather than failing, because
    /// a query string is data the handler validates, not framing.
    static func decodeLeniently<C: Collection<UInt8>>(_ bytes: C, plusAsSpace: Bool) -> String {
        if let decoded = decode(bytes, plusAsSpace: plusAsSpace) { return decoded }
        return String(decoding: bytes, as: UTF8.self)
    }
}
