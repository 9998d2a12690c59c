import Foundation

/// Finds U+0000 in text a request brings: query parameters, form fields, JSON strings and
/// member names.
///
/// U+0000 is valid in a URL escape (`%00`) and a JSON string (`\u0000`), but it is not text to
/// anything downstream: PostgreSQL refuses it in `text` and in `jsonb`, C strings end at it.
/// The request line and headers cannot carry it (the parser refuses the byte); lone
/// surrogates cannot come in at all (a JSON body with one does not parse, a `%ED%A0%80` is not
/// UTF-8 and stays as typed). So these are the places it can enter.
public enum UnstorableText {
    /// Fields named in one answer at most; a body full of NULs is named by its first few.
    public static let maxNamedFields = 10
    public static let nulMessage = "must not contain the NUL character (U+0000)"
    static let nulNameMessage = "must not have a member name containing the NUL character (U+0000)"

    /// The parameters (by name) whose name or value holds U+0000.
    public static func nulFields(in parameters: QueryParameters) -> [FieldError] {
        let found = parameters.pairs.compactMap { pair -> FieldError? in
            if pair.name.utf8.contains(0) { return FieldError(field: "(name)", message: nulMessage) }
            return pair.value.utf8.contains(0) ? FieldError(field: pair.name, message: nulMessage) : nil
        }
        return Array(found.prefix(maxNamedFields))
    }

    /// The members (by path, `alerts[0].labels.team`; `body` for the document itself) of a
    /// JSON text whose string or member name holds U+0000. JSON carries U+0000 only as the
    /// escape `\u0000`, so only a body with that sequence is parsed; a body that is not JSON
    /// gives none (its decoder refuses it anyway).
    public static func nulFields(inJSON body: [UInt8]) -> [FieldError] {
        guard containsNULEscape(body),
            let document = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        else { return [] }
        var found: [FieldError] = []
        collectNULFields(document, path: "", into: &found)
        return found
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
        let here = path.isEmpty ? "body" : path
        switch value {
        case let text as String:
            if text.utf8.contains(0) { found.append(FieldError(field: here, message: nulMessage)) }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                collectNULFields(element, path: "\(path)[\(index)]", into: &found)
            }
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                guard let member = object[key] else { continue }
                if key.utf8.contains(0) {
                    found.append(FieldError(field: here, message: nulNameMessage))
                    continue
                }
                collectNULFields(member, path: path.isEmpty ? key : "\(path).\(key)", into: &found)
            }
        default:
            return
        }
    }
}
