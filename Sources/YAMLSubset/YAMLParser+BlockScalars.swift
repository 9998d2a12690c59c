extension YAMLParser {
    /// A literal (`|`) or folded (`>`) block scalar whose header (after the indicator: chomping
    /// `-`/`+`, an indentation digit, a comment) is `header`; its lines follow the current one.
    mutating func parseBlockScalar(header: ArraySlice<Character>, parentIndent: Int) throws(YAMLError)
        -> String
    {
        let literal = lines[index][header.startIndex - 1] == "|"
        var chomping: Character = " "
        var explicitIndent: Int?
        var rest = header
        while let character = rest.first, character != " " {
            if character == "-" || character == "+", chomping == " " {
                chomping = character
            } else if let digit = character.wholeNumberValue, digit > 0, explicitIndent == nil {
                explicitIndent = digit
            } else {
                throw YAMLError(line: lineNumber, "bad block scalar header")
            }
            rest = rest.dropFirst()
        }
        let comment = rest.drop(while: { $0 == " " })
        guard comment.isEmpty || comment.first == "#" else {
            throw YAMLError(line: lineNumber, "text after a block scalar indicator")
        }
        index += 1
        var contentIndent = explicitIndent.map { max(parentIndent, 0) + $0 }
        var body: [String] = []
        while index < lines.count {
            let line = lines[index]
            let indent = Self.indent(of: line)
            let blank = indent == line.count
            if contentIndent == nil && !blank {
                guard indent > parentIndent else { break }
                contentIndent = indent
            }
            if !blank, indent < (contentIndent ?? Int.max) { break }
            if blank, indent < (contentIndent ?? Int.max) {
                body.append("")
            } else {
                body.append(String(line.dropFirst(contentIndent ?? 0)))
            }
            index += 1
        }
        var trailing = 0
        while body.last == "" {
            body.removeLast()
            trailing += 1
        }
        var text = literal ? body.joined(separator: "\n") : Self.fold(body)
        if body.isEmpty { return chomping == "+" ? String(repeating: "\n", count: trailing) : "" }
        switch chomping {
        case "-": break
        case "+": text += String(repeating: "\n", count: trailing + 1)
        default: text += "\n"
        }
        return text
    }

    /// Folded block lines: a line break between two plain lines becomes a space, blank lines
    /// become line breaks, and more-indented lines keep theirs.
    static func fold(_ body: [String]) -> String {
        var text = ""
        var blanks = 0
        var previousMoreIndented = false
        var first = true
        for line in body {
            if line.isEmpty {
                blanks += 1
                continue
            }
            let moreIndented = line.first == " " || line.first == "\t"
            if first {
                text += String(repeating: "\n", count: blanks)
            } else if blanks == 0 {
                text += moreIndented || previousMoreIndented ? "\n" : " "
            } else {
                text += String(
                    repeating: "\n", count: blanks + (moreIndented || previousMoreIndented ? 1 : 0))
            }
            text += line
            first = false
            previousMoreIndented = moreIndented
            blanks = 0
        }
        return text
    }
}
