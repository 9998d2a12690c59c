extension HTTPRequestParser {
    /// The size of a chunk-size line (without its CRLF), or nil when the line is not exactly
    /// `chunk-size [ chunk-ext ]` (RFC 9112 §7.1) or the size does not fit.
    ///
    /// Strict on purpose: a lenient reading (`5 `, `5;`) is what request smuggling needs, a
    /// proxy in front and this server disagreeing on where a chunk ends.
    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        var size = 0
        var index = 0
        while index < line.count, let digit = ByteClass.hexValue(line[index]) {
            // 15 hex digits always fit in an Int; refusing more blocks overflow tricks.
            guard index < 15 else { return nil }
            size = size << 4 | Int(digit)
            index += 1
        }
        guard index > 0 else { return nil }
        return isChunkExtensionList(UnsafeBufferPointer(rebasing: line[index...])) ? size : nil
    }

    /// `chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )` with
    /// `chunk-ext-name = token` and `chunk-ext-val = token / quoted-string` (RFC 9112 §7.1.1).
    /// Whitespace is allowed only where BWS is: never at the end of the line, never alone.
    static func isChunkExtensionList(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            index = skippingWhitespace(bytes, from: index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ";") else { return false }
            index = skippingWhitespace(bytes, from: index + 1)
            let nameEnd = skippingToken(bytes, from: index)
            guard nameEnd > index else { return false }
            index = nameEnd
            let equals = skippingWhitespace(bytes, from: nameEnd)
            guard equals < bytes.count, bytes[equals] == UInt8(ascii: "=") else { continue }
            let valueStart = skippingWhitespace(bytes, from: equals + 1)
            guard valueStart < bytes.count else { return false }
            if bytes[valueStart] == UInt8(ascii: "\"") {
                guard let afterQuote = skippingQuotedString(bytes, from: valueStart) else { return false }
                index = afterQuote
            } else {
                index = skippingToken(bytes, from: valueStart)
                guard index > valueStart else { return false }
            }
        }
        return true
    }

    /// The index of the first byte at or after `index` that is not SP or HTAB.
    static func skippingWhitespace(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count && ByteClass.isWhitespace(bytes[index]) { index += 1 }
        return index
    }

    /// The index of the first byte at or after `index` that is not a `tchar`.
    static func skippingToken(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var index = index
        while index < bytes.count && ByteClass.isTokenCharacter(bytes[index]) { index += 1 }
        return index
    }

    /// `quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE` (RFC 9110 §5.6.4) starting at
    /// `index`: the index after the closing quote, or nil when it is not one.
    static func skippingQuotedString(_ bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        var index = index + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte == UInt8(ascii: "\\") {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                guard index + 1 < bytes.count, ByteClass.isFieldValueCharacter(bytes[index + 1]) else {
                    return nil
                }
                index += 2
                continue
            }
            // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text; DQUOTE and "\" are
            // handled above, so what is left is the field-value bytes.
            guard ByteClass.isFieldValueCharacter(byte) else { return nil }
            index += 1
        }
        return nil
    }
}
