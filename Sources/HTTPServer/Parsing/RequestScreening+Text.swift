import Foundation

extension RequestScreening {
    /// Fields of one answer at most; a body full of NULs is named by its first few.
    static let maxNamedFields = 10
    static let nulMessage = "must not contain the NUL character (U+0000)"

    /// 400 naming each query parameter, form field or JSON member whose text holds U+0000.
    ///
    /// U+0000 is valid in a URL escape (`%00`) and a JSON string (`\u0000`), but it is not
    /// text to anything downstream: PostgreSQL refuses it in `text` and in `jsonb`, C strings
    /// end at it. The request line and headers cannot carry it (the parser refuses the byte);
    /// lone surrogates cannot either (a JSON body with one does not parse, a `%ED%A0%80` is
    /// not UTF-8 and stays as typed). So these three are where it can come in.
    static func textRefusal(for request: HTTPRequest) -> HTTPResponse? {
        var issues = nulIssues(in: request.query, kind: "query parameter")
        if !request.body.isEmpty {
            if request.mediaType == "application/x-www-form-urlencoded" {
                issues += nulIssues(in: QueryParameters(parsingBytes: request.body), kind: "form field")
            } else {
                issues += jsonNULIssues(request.body)
            }
        }
        guard !issues.isEmpty else { return nil }
        let shown = issues.prefix(maxNamedFields)
        return .problem(
            ProblemDetails(
                status: 400,
                detail: shown.map { "\($0.kind) \($0.error.field) \($0.error.message)" }.joined(
                    separator: "; ")
                    + ".",
                errors: shown.map(\.error)))
    }

    /// One refused field and what kind of input it is, for the detail sentence.
    struct TextIssue {
        let kind: String
        let error: FieldError
    }

    static func nulIssues(in parameters: QueryParameters, kind: String) -> [TextIssue] {
        parameters.pairs.compactMap { pair in
            if pair.name.utf8.contains(0) {
                return TextIssue(kind: kind, error: FieldError(field: "(name)", message: nulMessage))
            }
            guard pair.value.utf8.contains(0) else { return nil }
            return TextIssue(kind: kind, error: FieldError(field: pair.name, message: nulMessage))
        }
    }

    /// The JSON members (by path, `alerts[0].labels.team`) whose string or key holds U+0000.
    /// A JSON text carries U+0000 only as the escape `\u0000`, so only a body with that
    /// sequence is parsed here; a body that is not JSON is left for its handler to refuse.
    static func jsonNULIssues(_ body: [UInt8]) -> [TextIssue] {
        guard containsNULEscape(body),
            let document = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        else { return [] }
        var found: [FieldError] = []
        collectNULFields(document, path: "", into: &found)
        return found.map { TextIssue(kind: "field", error: $0) }
    }

    /// Whether `body` contains the six bytes `\u0000` (an escaped backslash before them makes
    /// a false positive, which parsing then clears).
    static func containsNULEscape(_ body: [UInt8]) -> Bool {
        let escape = Array(#"u0000"#.utf8)
        var from = 0
        while let backslash = body[from...].firstIndex(of: UInt8(ascii: "\\")) {
            let rest = backslash + 1
            if rest + escape.count <= body.count && body[rest..<(rest + escape.count)].elementsEqual(escape) {
                return true
            }
            from = rest
        }
        return false
    }

    /// Depth-first, keys in sorted order so the answer is the same every time.
    static func collectNULFields(_ value: Any, path: String, into found: inout [FieldError]) {
        guard found.count < maxNamedFields else { return }
        switch value {
        case let text as String:
            if text.utf8.contains(0) {
                found.append(FieldError(field: path.isEmpty ? "body" : path, message: nulMessage))
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                collectNULFields(element, path: "\(path)[\(index)]", into: &found)
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                guard let member = object[key] else { continue }
                if key.utf8.contains(0) {
                    found.append(
                        FieldError(
                            field: path.isEmpty ? "body" : path,
                            message: "must not have a member name containing the NUL character (U+0000)"))
                    continue
                }
                collectNULFields(member, path: path.isEmpty ? key : "\(path).\(key)", into: &found)
            }
        default:
            return
        }
    }
}
