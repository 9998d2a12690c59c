extension YAMLParser {
    /// A value written after `key:` or `-`, starting at `column` of the current line: quoted,
    /// flow, block or plain. Leaves `index` on the line after the value.
    mutating func parseInlineValue(from column: Int, parentIndent: Int) throws(YAMLError) -> YAMLValue {
        let line = lines[index]
        let first = line[column]
        switch first {
        case "\"", "'": return .string(try parseQuoted(from: column))
        case "[", "{": return try parseFlow(from: column)
        case "|", ">":
            return .string(try parseBlockScalar(header: line[(column + 1)...], parentIndent: parentIndent))
        case "&", "*", "!", "%", "@", "`":
            throw YAMLError(
                line: lineNumber, "`\(first)` (anchors, aliases, tags, reserved) is not supported")
        default: return Self.resolve(try parsePlain(from: column, parentIndent: parentIndent))
        }
    }

    /// A plain scalar: the rest of this line up to a comment, folded with the following lines
    /// that are indented deeper than its parent (a blank line between them is a line break).
    mutating func parsePlain(from column: Int, parentIndent: Int) throws(YAMLError) -> String {
        var (text, commented) = Self.plainPart(lines[index][column...])
        if text.hasPrefix("- ") || text.hasPrefix("? ") || text.hasPrefix(": ") {
            throw YAMLError(line: lineNumber, "a plain scalar cannot start with `\(text.prefix(2))`")
        }
        if Self.containsMappingIndicator(text) {
            throw YAMLError(line: lineNumber, "`: ` inside a plain scalar (quote it)")
        }
        index += 1
        var breaks = 0
        var next = index
        // A comment ends a plain scalar; so does a line not indented deeper than its parent.
        while !commented && next < lines.count {
            let line = lines[next]
            if line.allSatisfy({ $0 == " " }) {
                breaks += 1
                next += 1
                continue
            }
            let indent = Self.indent(of: line)
            guard indent > parentIndent, line[indent] != "#" else { break }
            let part: String
            (part, commented) = Self.plainPart(line[indent...])
            if Self.containsMappingIndicator(part) {
                throw YAMLError(line: next + 1, "`: ` inside a plain scalar (quote it)")
            }
            text += breaks == 0 ? " " : String(repeating: "\n", count: breaks)
            text += part
            breaks = 0
            next += 1
            index = next
        }
        return text
    }

    /// The text of a plain scalar on one line, up to ` #` with trailing spaces dropped, and
    /// whether a comment ended it.
    static func plainPart(_ text: ArraySlice<Character>) -> (String, Bool) {
        var position = text.startIndex
        while position < text.endIndex {
            if text[position] == "#" && position > text.startIndex && text[position - 1] == " " {
                return (String(text[text.startIndex..<position]).trimmingTrailingSpaces, true)
            }
            position += 1
        }
        return (String(text).trimmingTrailingSpaces, false)
    }

    static func containsMappingIndicator(_ text: String) -> Bool {
        text.contains(": ") || text.hasSuffix(":")
    }

    /// YAML 1.2 core schema: null, booleans, integers and floats; anything else is a string.
    static func resolve(_ text: String) -> YAMLValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return number(text).map(YAMLValue.number) ?? .string(text)
        }
    }

    /// `text` as JSON number text when it is a decimal integer or float, else nil.
    static func number(_ text: String) -> String? {
        var characters = Array(text)
        var sign = ""
        if characters.first == "-" || characters.first == "+" {
            if characters.first == "-" { sign = "-" }
            characters.removeFirst()
        }
        let isDigit: (Character) -> Bool = { $0.isASCII && $0.isNumber }
        var integer = Array(characters.prefix(while: isDigit))
        var rest = characters.dropFirst(integer.count)
        var fraction: [Character]? = nil
        if rest.first == "." {
            fraction = Array(rest.dropFirst().prefix(while: isDigit))
            rest = rest.dropFirst(1 + fraction!.count)
        }
        guard !integer.isEmpty || !(fraction ?? []).isEmpty else { return nil }
        var exponent = ""
        if rest.first == "e" || rest.first == "E" {
            var digits = rest.dropFirst()
            var exponentSign = ""
            if digits.first == "-" || digits.first == "+" {
                exponentSign = digits.first == "-" ? "-" : ""
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty, digits.allSatisfy(isDigit) else { return nil }
            exponent = "e" + exponentSign + String(digits)
            rest = []
        }
        guard rest.isEmpty else { return nil }
        while integer.count > 1 && integer.first == "0" { integer.removeFirst() }
        if integer.isEmpty { integer = ["0"] }
        var number = sign + String(integer)
        if let fraction { number += "." + (fraction.isEmpty ? "0" : String(fraction)) }
        return number + exponent
    }

    /// A single- or double-quoted scalar starting at `column`, which may go on over lines
    /// (a line break folds to a space, a blank line to a line break).
    mutating func parseQuoted(from column: Int) throws(YAMLError) -> String {
        var text = ""
        var position = column
        let quote = lines[index][column]
        var line = lines[index]
        position += 1
        var pendingBreaks = -1  // -1: on the first line
        while true {
            if position >= line.count {
                // The scalar goes on: fold this line break.
                while text.last == " " || text.last == "\t" { text.removeLast() }
                index += 1
                guard index < lines.count else {
                    throw YAMLError(line: lineNumber - 1, "unterminated quoted scalar")
                }
                line = lines[index]
                position = Self.indent(of: line)
                while position < line.count && line[position] == "\t" { position += 1 }
                if position >= line.count {
                    pendingBreaks = max(pendingBreaks, 0) + 1
                    continue
                }
                text += pendingBreaks > 0 ? String(repeating: "\n", count: pendingBreaks) : " "
                pendingBreaks = 0
            }
            let character = line[position]
            if character == quote {
                if quote == "'" && position + 1 < line.count && line[position + 1] == "'" {
                    text.append("'")
                    position += 2
                    continue
                }
                position += 1
                break
            }
            if quote == "\"" && character == "\\" {
                guard position + 1 < line.count else {
                    // An escaped line break: the lines join with nothing between them.
                    index += 1
                    guard index < lines.count else {
                        throw YAMLError(line: lineNumber - 1, "unterminated quoted scalar")
                    }
                    line = lines[index]
                    position = Self.indent(of: line)
                    continue
                }
                text += try Self.escape(line[...], at: &position, line: lineNumber)
                continue
            }
            text.append(character)
            position += 1
        }
        let after = line[position...].drop(while: { $0 == " " })
        guard after.isEmpty || after.first == "#" else {
            throw YAMLError(line: lineNumber, "unexpected text after a quoted scalar")
        }
        index += 1
        return text
    }

    /// A quoted key on one line; `position` ends after the closing quote.
    static func quotedOnOneLine(_ content: ArraySlice<Character>, at position: inout Int, line: Int)
        throws(YAMLError) -> String
    {
        let quote = content[position]
        var text = ""
        position += 1
        while position < content.endIndex {
            let character = content[position]
            if character == quote {
                if quote == "'" && position + 1 < content.endIndex && content[position + 1] == "'" {
                    text.append("'")
                    position += 2
                    continue
                }
                position += 1
                return text
            }
            if quote == "\"" && character == "\\" {
                text += try escape(content, at: &position, line: line)
                continue
            }
            text.append(character)
            position += 1
        }
        throw YAMLError(line: line, "unterminated quoted key")
    }
}
