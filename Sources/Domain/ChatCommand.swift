/// A command typed in chat (issue 8), parsed by ``parse(_:)`` (in `ChatCommand+Parsing.swift`).
///
/// Refs are `INC-42`, `ALR-7` or bare numbers (incidents).
public enum ChatCommand: Sendable, Hashable {
    /// `ack <ref> [note]`, also the runbooks' `!ack <ref> "Investigating issue"` (seed 001).
    case acknowledge(EntityRef, note: String?)
    /// `resolve <ref> [resolution]`.
    case resolve(EntityRef, resolution: String?)
    /// `status <ref>`: show it.
    case status(EntityRef)
    /// `update <ref> <status> <message>`: an incident status change with its update message.
    case update(EntityRef, status: IncidentStatus, message: String)
    /// `note <ref> <text>`.
    case note(EntityRef, text: String)
    /// `open`: list open incidents, most severe first.
    case listOpen
    /// `oncall [schedule]`: who is on call and until when, in one schedule (by name or id) or
    /// in every schedule (issue 15).
    case onCall(schedule: String?)
    /// `help` (also an empty command).
    case help

    /// Usage, for `help` and appended to errors about unknown commands.
    public static let helpText = """
        Commands (refs: INC-42, ALR-7, or a bare number for an incident):
        • ack <ref> [note] — acknowledge
        • resolve <ref> [resolution] — resolve
        • status <ref> — show status
        • update <ref> <investigating|identified|monitoring|resolved> <message> — post a status update
        • note <ref> <text> — add a timeline note
        • open — list open incidents, most severe first
        • oncall [schedule] — who is on call now, until when, and who is next
        • help — this list
        The runbook form works too: !ack <ref> "Investigating issue"
        """

    /// Whether the command changes something (Slack shows those `in_channel`, the rest
    /// `ephemeral`; issue 8).
    public var isAction: Bool {
        switch self {
        case .acknowledge, .resolve, .update, .note: true
        case .status, .listOpen, .onCall, .help: false
        }
    }
}

/// Why a chat line is not a command; `message` is the reply to show the user.
public enum ChatCommandError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The first word is not a known verb.
    case unknownCommand(String)
    /// The verb needs a ref and none was given.
    case missingRef(verb: String)
    /// The ref could not be read (or names the wrong kind for the verb).
    case badRef(verb: String, EntityRefError)
    /// A required text (`message`, `text`, `status`) is missing.
    case missingArgument(verb: String, name: String)
    /// `update` with a status that is not one of the four.
    case unknownStatus(String)

    /// The reply text.
    public var message: String {
        switch self {
        case .unknownCommand(let verb):
            "Unknown command '\(verb)'.\n" + ChatCommand.helpText
        case .missingRef(let verb):
            "'\(verb)' needs an incident or alert ref, e.g. `\(verb) INC-42`."
        case .badRef(_, let error):
            error.description
        case .missingArgument(let verb, let name):
            "'\(verb)' needs a \(name): \(ChatCommand.usage[verb] ?? verb)"
        case .unknownStatus(let status):
            "'\(status)' is not a status; use investigating, identified, monitoring or resolved."
        }
    }

    public var description: String { message }
}
