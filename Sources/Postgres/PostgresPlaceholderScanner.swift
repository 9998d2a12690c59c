/// Finds the `$n` parameter placeholders in hand-written SQL so `PostgresQuery(sql:binds:)` can be
/// renumbered when fragments are joined.
///
/// It skips what PostgreSQL's lexer skips: quoted strings (`'...'`, `E'...'`), quoted
/// identifiers, dollar-quoted strings (`$tag$...$tag$`), and comments; a `$` inside an identifier
/// (`a$1`) is part of that identifier.
enum PostgresPlaceholderScanner {
    /// The fragments of `sql` and the highest placeholder number found (0 when none).
    static func fragments(of sql: String) -> ([PostgresQuery.Fragment], Int) {
        let bytes = Array(sql.utf8)
        var fragments: [PostgresQuery.Fragment] = []
        var highest = 0
        var textStart = 0
        var index = 0
        func flushText(upTo end: Int) {
            if end > textStart {
                fragments.append(.text(String(decoding: bytes[textStart..<end], as: UTF8.self)))
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"):
                let escapes =
                    index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && (index < 2 || !isIdentifierByte(bytes[index - 2]))
                index = skipQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                index = skipQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                index = skipBlockComment(bytes, from: index)
            case UInt8(ascii: "$") where index == 0 || !isIdentifierByte(bytes[index - 1]):
                var end = index + 1
                var number = 0
                while end < bytes.count, isDigit(bytes[end]), number < 100_000 {
                    number = number * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                    end += 1
                }
                // "$0" stays text: the server rejects it ("there is no parameter $0").
                if end > index + 1 && number > 0 {
                    flushText(upTo: index)
                    fragments.append(.bind(number - 1))
                    highest = max(highest, number)
                    index = end
                    textStart = end
                } else if end > index + 1 {
                    index = end
                } else {
                    index = skipDollarQuoted(bytes, from: index)
                }
            default:
                index += 1
            }
        }
        flushText(upTo: bytes.count)
        return (fragments, highest)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "$") || byte >= 0x80
    }

    /// Index after the closing quote; a doubled quote is an escaped quote.
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool)
        -> Int
    {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if index + 1 < bytes.count && bytes[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// Index after a (nested) `/* ... */` comment.
    private static func skipBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == UInt8(ascii: "/") && bytes[index + 1] == UInt8(ascii: "*") {
                depth += 1
                index += 2
            } else if bytes[index] == UInt8(ascii: "*") && bytes[index + 1] == UInt8(ascii: "/") {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// Index after a `$tag$ ... $tag$` string, or after the lone `$` when it opens none.
    private static func skipDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        var tagEnd = start + 1
        while tagEnd < bytes.count, bytes[tagEnd] != UInt8(ascii: "$") {
            guard isIdentifierByte(bytes[tagEnd]) else { return start + 1 }
            tagEnd += 1
        }
        guard tagEnd < bytes.count else { return start + 1 }
        let tag = bytes[start...tagEnd]
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$") && bytes[index..<(index + tag.count)].elementsEqual(tag) {
                return index + tag.count
            }
            index += 1
        }
        return bytes.count
    }
}
