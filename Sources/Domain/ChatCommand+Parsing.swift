import Foundation

extension ChatCommand {
    /// One-line usage per verb.
    static let usage: [String: String] = [
        "ack": "ack <ref> [note]", "resolve": "resolve <ref> [resolution]", "status": "status <ref>",
        "update": "update <ref> <status> <message>", "note": "note <ref> <text>",
    ]

    /// Verb spellings (lowercase, without a leading `!`) and the verb they mean.
    static let verbs: [String: String] = [
        "ack": "ack", "acknowledge": "ack", "resolve": "resolve", "status": "status", "show": "status",
        "update": "update", "note": "note", "open": "open", "list": "open", "help": "help", "?": "help",
        "oncall": "oncall", "on-call": "oncall",
    ]

    /// Parses one chat line. Verbs are case-insensitive and may start with `!` (`!ack`,
    /// `!resolve`: seed 001); one pair of quotes around the trailing text is removed, including
    /// the curly quotes Slack substitutes. An empty line is `help`.
    public static func parse(_ text: String) -> Result<ChatCommand, ChatCommandError> {
        var rest = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        guard let word = nextWord(&rest) else { return .success(.help) }
        let typed = word.hasPrefix("!") ? String(word.dropFirst()) : word
        guard let verb = verbs[typed.lowercased()] else { return .failure(.unknownCommand(word)) }
        switch verb {
        case "help": return .success(.help)
        case "open": return .success(.listOpen)
        // The rest of the line is the schedule's name (names may have spaces).
        case "oncall": return .success(.onCall(schedule: unquoted(rest)))
        default: break
        }
        guard let refWord = nextWord(&rest) else { return .failure(.missingRef(verb: verb)) }
        let ref: EntityRef
        do {
            ref = try EntityRef.parse(cleanRef(refWord), bareNumberKind: .incident)
        } catch {
            return .failure(.badRef(verb: verb, error))
        }
        // Chat acts on incidents and alerts; another kind's ref (`MW-3`) is not read as an alert.
        guard ref.kind == .incident || ref.kind == .alert else {
            return .failure(.badRef(verb: verb, .wrongKind(expected: .incident, found: ref)))
        }
        return command(verb, ref: ref, rest: rest)
    }

    /// Builds the command for a verb that takes a ref; `rest` is the text after the ref.
    private static func command(_ verb: String, ref: EntityRef, rest: Substring) -> Result<
        ChatCommand, ChatCommandError
    > {
        var rest = rest
        switch verb {
        case "ack": return .success(.acknowledge(ref, note: unquoted(rest)))
        case "resolve": return .success(.resolve(ref, resolution: unquoted(rest)))
        case "status": return .success(.status(ref))
        case "note":
            guard let text = unquoted(rest) else {
                return .failure(.missingArgument(verb: verb, name: "text"))
            }
            return .success(.note(ref, text: text))
        default:  // "update": incidents only, status then message
            guard ref.kind == .incident else {
                return .failure(.badRef(verb: verb, .wrongKind(expected: .incident, found: ref)))
            }
            guard let word = nextWord(&rest) else {
                return .failure(.missingArgument(verb: verb, name: "status"))
            }
            guard let status = IncidentStatus(parsing: word) else { return .failure(.unknownStatus(word)) }
            guard let message = unquoted(rest) else {
                return .failure(.missingArgument(verb: verb, name: "message"))
            }
            return .success(.update(ref, status: status, message: message))
        }
    }

    /// Removes and returns the next whitespace-separated word of `text`.
    private static func nextWord(_ text: inout Substring) -> String? {
        text = text.drop(while: \.isWhitespace)
        guard !text.isEmpty else { return nil }
        let word = text.prefix { !$0.isWhitespace }
        text = text.dropFirst(word.count)
        return String(word)
    }

    /// A ref as typed, without a leading `#` or trailing `:`/`,`/`.` (`#42:`, `INC-42,`).
    private static func cleanRef(_ word: String) -> String {
        var ref = Substring(word)
        if ref.hasPrefix("#") { ref = ref.dropFirst() }
        while let last = ref.last, ":,.;".contains(last) { ref = ref.dropLast() }
        return String(ref)
    }

    /// Quote pairs removed around trailing text: straight, and Slack's curly substitutes.
    static let quotePairs: [(Character, Character)] = [("\"", "\""), ("'", "'"), ("“", "”"), ("‘", "’")]

    /// `text` trimmed, without one pair of enclosing quotes; nil when nothing is left.
    static func unquoted(_ text: Substring) -> String? {
        var result = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if result.count >= 2, let first = result.first, let last = result.last,
            quotePairs.contains(where: { $0.0 == first && $0.1 == last })
        {
            result = String(result.dropFirst().dropLast()).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return result.isEmpty ? nil : result
    }

    /// Undoes Slack's escaping of slash-command text (`&amp;`, `&lt;`, `&gt;`); Slack escapes
    /// exactly these three (api.slack.com, "Formatting text for app surfaces").
    public static func slackUnescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
