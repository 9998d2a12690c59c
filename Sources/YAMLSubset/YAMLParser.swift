/// Reads the block-structured YAML that hand-written documents such as docs/openapi.yaml use,
/// and refuses the rest with the line it is on, so a document never silently means something
/// else here than in other YAML tools:
///
/// - block mappings and sequences (`- key: value` items too), comments, blank lines;
/// - plain scalars (one or more lines), single- and double-quoted scalars (one or more lines),
///   literal and folded block scalars (`|`, `>`, with `-`/`+` chomping and an indentation digit);
/// - flow sequences and mappings (`[a, b]`, `{}`, `{a: 1}`), on one or more lines.
///
/// Scalars resolve by YAML 1.2's core schema (`null`/`~`, `true`/`false`, integers, floats),
/// everything else is a string. Anchors, aliases, tags, directives, complex keys, several
/// documents and tabs in indentation are refused.
public struct YAMLParser {
    var lines: [[Character]]
    var index = 0

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var characters = Array(line)
            if characters.last == "\r" { characters.removeLast() }
            return characters
        }
        if lines.last?.isEmpty == true { lines.removeLast() }
    }

    /// The document's value (`null` for an empty one).
    public static func parse(_ text: String) throws(YAMLError) -> YAMLValue {
        var parser = YAMLParser(text)
        return try parser.parseDocument()
    }

    mutating func parseDocument() throws(YAMLError) -> YAMLValue {
        skipInsignificant()
        guard index < lines.count else { return .null }
        if lines[index].starts(with: "%") || lines[index].starts(with: "---") {
            throw YAMLError(line: index + 1, "directives and document markers are not supported")
        }
        let value = try parseBlockNode(parentIndent: -1)
        skipInsignificant()
        if index < lines.count { throw YAMLError(line: index + 1, "unexpected text after the document") }
        return value
    }

    // MARK: - Lines

    var lineNumber: Int { index + 1 }

    static func indent(of line: [Character]) -> Int {
        line.prefix { $0 == " " }.count
    }

    static func isInsignificant(_ line: [Character]) -> Bool {
        guard let first = line.first(where: { $0 != " " }) else { return true }
        return first == "#"
    }

    mutating func skipInsignificant() {
        while index < lines.count && Self.isInsignificant(lines[index]) { index += 1 }
    }

    /// The current line's text after its indentation.
    func content(at line: Int) -> ArraySlice<Character> {
        lines[line].dropFirst(Self.indent(of: lines[line]))
    }

    static func startsSequenceItem(_ content: ArraySlice<Character>) -> Bool {
        content.first == "-" && (content.count == 1 || content.dropFirst().first == " ")
    }

    // MARK: - Block structure

    /// The node on the lines below a `key:` or `-` with nothing after it: anything indented
    /// deeper than `parentIndent`, or `null` when nothing is.
    mutating func parseBlockNode(parentIndent: Int) throws(YAMLError) -> YAMLValue {
        skipInsignificant()
        guard index < lines.count else { return .null }
        let line = lines[index]
        let indent = Self.indent(of: line)
        guard indent > parentIndent else { return .null }
        if line.dropFirst(indent).first == "\t" {
            throw YAMLError(line: lineNumber, "tabs are not allowed in indentation")
        }
        let content = content(at: index)
        if Self.startsSequenceItem(content) { return try parseSequence(indent: indent) }
        if try splitKey(content) != nil { return try parseMapping(indent: indent) }
        return try parseInlineValue(from: indent, parentIndent: parentIndent)
    }

    mutating func parseSequence(indent: Int) throws(YAMLError) -> YAMLValue {
        var items: [YAMLValue] = []
        while true {
            skipInsignificant()
            guard index < lines.count else { break }
            let lineIndent = Self.indent(of: lines[index])
            if lineIndent > indent { throw YAMLError(line: lineNumber, "unexpected indentation") }
            guard lineIndent == indent, Self.startsSequenceItem(content(at: index)) else { break }
            let rest = content(at: index).dropFirst()
            if rest.allSatisfy({ $0 == " " }) || rest.drop(while: { $0 == " " }).first == "#" {
                index += 1
                items.append(try parseBlockNode(parentIndent: indent))
            } else {
                // `- key: value`, `- - x`, `- scalar`: the item is the node that starts where the
                // text after the dash starts, as if the dash were a space.
                lines[index][indent] = " "
                items.append(try parseBlockNode(parentIndent: indent))
            }
        }
        return .sequence(items)
    }

    mutating func parseMapping(indent: Int) throws(YAMLError) -> YAMLValue {
        var entries: [YAMLEntry] = []
        var seen = Set<String>()
        while true {
            skipInsignificant()
            guard index < lines.count else { break }
            let lineIndent = Self.indent(of: lines[index])
            if lineIndent > indent { throw YAMLError(line: lineNumber, "unexpected indentation") }
            guard lineIndent == indent else { break }
            let content = content(at: index)
            if Self.startsSequenceItem(content) { break }
            guard let (key, valueStart) = try splitKey(content) else {
                throw YAMLError(line: lineNumber, "expected `key: value`")
            }
            guard seen.insert(key).inserted else {
                throw YAMLError(line: lineNumber, "duplicate key `\(key)`")
            }
            entries.append(
                YAMLEntry(key: key, value: try parseValue(at: indent + valueStart, mappingIndent: indent)))
        }
        return .mapping(entries)
    }

    /// The value of a mapping entry whose text starts at `column` of the current line.
    mutating func parseValue(at column: Int, mappingIndent: Int) throws(YAMLError) -> YAMLValue {
        let rest = lines[index][min(column, lines[index].count)...]
        let trimmed = rest.drop(while: { $0 == " " })
        if trimmed.isEmpty || trimmed.first == "#" {
            index += 1
            skipInsignificant()
            // YAML lets a sequence under a key sit at the key's own indentation.
            if index < lines.count && Self.indent(of: lines[index]) == mappingIndent
                && Self.startsSequenceItem(content(at: index))
            {
                return try parseSequence(indent: mappingIndent)
            }
            return try parseBlockNode(parentIndent: mappingIndent)
        }
        return try parseInlineValue(from: lines[index].count - trimmed.count, parentIndent: mappingIndent)
    }

    /// `key` and the column (from the content's start) where its value begins, or nil when the
    /// content is not a `key:` line.
    func splitKey(_ content: ArraySlice<Character>) throws(YAMLError) -> (String, Int)? {
        guard let first = content.first else { return nil }
        let start = content.startIndex
        if first == "\"" || first == "'" {
            var position = start
            let key = try Self.quotedOnOneLine(content, at: &position, line: lineNumber)
            guard position < content.endIndex, content[position] == ":",
                position + 1 == content.endIndex || content[position + 1] == " "
            else { return nil }
            return (key, position + 1 - start)
        }
        if "[{|>&*!%@`?#,]}".contains(first) || Self.startsSequenceItem(content) { return nil }
        var position = start
        while position < content.endIndex {
            let character = content[position]
            if character == "#" && position > start && content[position - 1] == " " { return nil }
            if character == ":" && (position + 1 == content.endIndex || content[position + 1] == " ") {
                let key = String(content[start..<position]).trimmingTrailingSpaces
                return (key, position + 1 - start)
            }
            position += 1
        }
        return nil
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
