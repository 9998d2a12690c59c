import Foundation

/// The encodings a UTF-8 text mail needs to travel over 7-bit SMTP.
enum MIMEEncoding {
    /// RFC 5322 §2.1.1: no line may exceed 998 characters.
    static let maxLineBytes = 998

    /// A header value: as it is when printable ASCII and short, otherwise RFC 2047 `B`
    /// encoded words of at most 75 characters on folded lines. Control characters (a line
    /// break in an incident title) become spaces first, so nothing can inject a header.
    static func headerWords(_ text: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? " " : $0 }))
        if cleaned.utf8.allSatisfy({ $0 < 0x7f }) && cleaned.utf8.count <= 900 { return cleaned }
        // 45 bytes of UTF-8 become 60 base64 characters; with `=?UTF-8?B?` and `?=` that is
        // 72, under RFC 2047 §2's 75. A character's bytes are never split across words.
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in cleaned {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 && !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(encodedWord(chunk)) }
        return words.joined(separator: "\r\n ")
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// The body with CRLF line ends, and its Content-Transfer-Encoding: `7bit` when it is
    /// ASCII with short lines, `quoted-printable` (RFC 2045 §6.7) otherwise.
    static func body(_ text: String) -> (encoding: String, bytes: [UInt8]) {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\r", with: "\n"
        )
        .split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        // A text that ends with a line break has no line after it.
        if lines.count > 1 && lines.last?.isEmpty == true { lines.removeLast() }
        let plain = lines.allSatisfy { line in
            line.count <= maxLineBytes && line.allSatisfy { $0 < 0x7f && ($0 >= 0x20 || $0 == 0x09) }
        }
        var out: [UInt8] = []
        for line in lines {
            out += plain ? line : quotedPrintable(line)
            out += [0x0d, 0x0a]
        }
        return (plain ? "7bit" : "quoted-printable", out)
    }

    /// One line in quoted-printable, with soft breaks (`=` CRLF) keeping lines to 76.
    static func quotedPrintable(_ line: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var width = 0
        for (index, byte) in line.enumerated() {
            let isLast = index == line.count - 1
            // Rule 3: a space or tab at the end of a line would be stripped in transit.
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == 0x20 || byte == 0x09) && !isLast)
            let piece: [UInt8] =
                literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            // Rule 5: at most 76 characters a line, the soft break's `=` included.
            if width + piece.count > (isLast ? 76 : 75) {
                out += [UInt8(ascii: "="), 0x0d, 0x0a]
                width = 0
            }
            out += piece
            width += piece.count
        }
        return out
    }
}
