extension YAMLParser {
    /// A flow sequence or mapping starting at `column`, which may go on over lines.
    mutating func parseFlow(from column: Int) throws(YAMLError) -> YAMLValue {
        let startLine = lineNumber
        // Join the lines the collection spans (a line break inside one is a space).
        var text = Array(lines[index][column...])
        var depth = 0
        var quote: Character?
        var position = 0
        var end: Int?
        while end == nil {
            while position < text.count {
                let character = text[position]
                if let open = quote {
                    if character == open {
                        quote = nil
                    } else if character == "\\" && open == "\"" {
                        position += 1
                    }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "[" || character == "{" {
                    depth += 1
                } else if character == "]" || character == "}" {
                    depth -= 1
                    if depth == 0 {
                        end = position + 1
                        break
                    }
                } else if character == "#" && position > 0 && text[position - 1] == " " {
                    text.removeSubrange(position...)
                    break
                }
                position += 1
            }
            if end != nil { break }
            index += 1
            guard index < lines.count else {
                throw YAMLError(line: startLine, "unterminated flow collection")
            }
            text.append(" ")
            text += lines[index].drop(while: { $0 == " " })
        }
        let after = text[end!...].drop(while: { $0 == " " })
        guard after.isEmpty || after.first == "#" else {
            throw YAMLError(line: lineNumber, "unexpected text after a flow collection")
        }
        var reader = FlowReader(text: Array(text[..<end!]), line: startLine)
        let value = try reader.value()
        index += 1
        return value
    }
}

/// Reads one flow collection from its joined text.
struct FlowReader {
    let text: [Character]
    let line: Int
    var position = 0

    mutating func skipSpaces() {
        while position < text.count && text[position] == " " { position += 1 }
    }

    mutating func value() throws(YAMLError) -> YAMLValue {
        skipSpaces()
        guard position < text.count else { throw YAMLError(line: line, "missing value in a flow collection") }
        switch text[position] {
        case "[": return try collection(closing: "]")
        case "{": return try collection(closing: "}")
        case "\"", "'": return .string(try quoted())
        case "&", "*", "!", "|", ">", "%", "@", "`":
            throw YAMLError(line: line, "`\(text[position])` is not supported in a flow collection")
        default: return YAMLParser.resolve(plain(inKey: false))
        }
    }

    mutating func collection(closing: Character) throws(YAMLError) -> YAMLValue {
        position += 1
        var items: [YAMLValue] = []
        var entries: [YAMLEntry] = []
        while true {
            skipSpaces()
            guard position < text.count else { throw YAMLError(line: line, "unterminated flow collection") }
            if text[position] == closing {
                position += 1
                break
            }
            if closing == "]" {
                items.append(try value())
            } else {
                let key = text[position] == "\"" || text[position] == "'" ? try quoted() : plain(inKey: true)
                skipSpaces()
                guard position < text.count, text[position] == ":" else {
                    throw YAMLError(line: line, "expected `:` after `\(key)` in a flow mapping")
                }
                position += 1
                guard !entries.contains(where: { $0.key == key }) else {
                    throw YAMLError(line: line, "duplicate key `\(key)`")
                }
                entries.append(YAMLEntry(key: key, value: try value()))
            }
            skipSpaces()
            guard position < text.count else { throw YAMLError(line: line, "unterminated flow collection") }
            if text[position] == "," {
                position += 1
            } else if text[position] != closing {
                throw YAMLError(line: line, "expected `,` or `\(closing)` in a flow collection")
            }
        }
        return closing == "]" ? .sequence(items) : .mapping(entries)
    }

    mutating func quoted() throws(YAMLError) -> String {
        var end = position
        let value = try YAMLParser.quotedOnOneLine(text[...], at: &end, line: line)
        position = end
        return value
    }

    /// A plain scalar up to `,`, a closing bracket, or (in a key) `:`.
    mutating func plain(inKey: Bool) -> String {
        let start = position
        while position < text.count {
            let character = text[position]
            if character == "," || character == "]" || character == "}" || character == "["
                || character == "{"
            {
                break
            }
            if character == ":" && (inKey || position + 1 == text.count || text[position + 1] == " ") {
                break
            }
            position += 1
        }
        return String(text[start..<position]).trimmingTrailingSpaces
    }
}
