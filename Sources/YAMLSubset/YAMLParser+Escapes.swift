extension YAMLParser {
    /// The character a double-quoted scalar's escape at `position` (the backslash) stands for;
    /// `position` ends after the escape.
    static func escape(_ text: ArraySlice<Character>, at position: inout Int, line: Int) throws(YAMLError)
        -> String
    {
        let code = text[position + 1]
        position += 2
        switch code {
        case "0": return "\u{0}"
        case "a": return "\u{7}"
        case "b": return "\u{8}"
        case "t", "\t": return "\t"
        case "n": return "\n"
        case "v": return "\u{B}"
        case "f": return "\u{C}"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case " ": return " "
        case "\"": return "\""
        case "/": return "/"
        case "\\": return "\\"
        case "N": return "\u{85}"
        case "_": return "\u{A0}"
        case "L": return "\u{2028}"
        case "P": return "\u{2029}"
        case "x": return try hexEscape(text, at: &position, digits: 2, line: line)
        case "u": return try hexEscape(text, at: &position, digits: 4, line: line)
        case "U": return try hexEscape(text, at: &position, digits: 8, line: line)
        default: throw YAMLError(line: line, "unknown escape `\\\(code)`")
        }
    }

    private static func hexEscape(
        _ text: ArraySlice<Character>, at position: inout Int, digits: Int, line: Int
    )
        throws(YAMLError) -> String
    {
        guard position + digits <= text.endIndex,
            let value = UInt32(String(text[position..<position + digits]), radix: 16),
            let scalar = Unicode.Scalar(value)
        else { throw YAMLError(line: line, "bad hexadecimal escape") }
        position += digits
        return String(Character(scalar))
    }
}
