/// Trimming of surrounding white space without Foundation (issue 5 performance: Foundation's
/// `trimmingCharacters(in: .whitespacesAndNewlines)` was about 4.6 % of incidentd's CPU samples
/// on the alert ingest path; this is about 25 times cheaper on short fields).
extension String {
    /// The text without leading and trailing white space and line breaks: exactly what
    /// `trimmingCharacters(in: .whitespacesAndNewlines)` returns on this platform (DomainTests
    /// compare the two over every Unicode scalar). Works on Unicode scalars, as Foundation does,
    /// so a combining mark after a leading space is kept. Returns `self` when nothing is trimmed.
    public func trimmingWhitespaceAndNewlines() -> String {
        let range = self[...].trimmedRange()
        if range == startIndex..<endIndex { return self }
        return String(decoding: utf8[range], as: UTF8.self)
    }
}

extension Substring {
    /// ``Swift/String/trimmingWhitespaceAndNewlines()`` for a slice.
    public func trimmingWhitespaceAndNewlines() -> String {
        String(decoding: utf8[trimmedRange()], as: UTF8.self)
    }

    /// The range left after trimming, on scalar boundaries. ASCII bytes are tested directly;
    /// only a non-ASCII byte costs a scalar decode.
    func trimmedRange() -> Range<Index> {
        let scalars = unicodeScalars
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end {
            let byte = utf8[start]
            if byte < 0x80 {
                guard Self.isASCIIWhitespaceOrNewline(byte) else { break }
                start = utf8.index(after: start)
            } else {
                guard scalars[start].isWhitespaceOrNewline else { break }
                start = scalars.index(after: start)
            }
        }
        while start < end {
            let last = utf8.index(before: end)
            let byte = utf8[last]
            if byte < 0x80 {
                guard Self.isASCIIWhitespaceOrNewline(byte) else { break }
                end = last
            } else {
                // `last` is a continuation byte: step back to the start of its scalar.
                let first = scalars.index(before: end)
                guard scalars[first].isWhitespaceOrNewline else { break }
                end = first
            }
        }
        return start..<end
    }

    /// Tab, line feed, vertical tab, form feed, carriage return and space.
    private static func isASCIIWhitespaceOrNewline(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}

extension Unicode.Scalar {
    /// Membership in Foundation's `CharacterSet.whitespacesAndNewlines` as swift-corelibs-foundation
    /// has it: general categories Zs, Zl and Zp, U+0009...U+000D and U+0085, and also U+200B
    /// ZERO WIDTH SPACE, which that set still lists although Unicode 4.0.1 moved it from Zs to
    /// Cf (checked over every scalar by DomainTests).
    public var isWhitespaceOrNewline: Bool {
        switch value {
        case 0x09...0x0D, 0x20: true
        case 0..<0x85: false  // the common case: every other ASCII scalar
        case 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
