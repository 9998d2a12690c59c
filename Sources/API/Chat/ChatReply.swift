import Domain
import Repositories

/// What running one chat command produced: the text to show, whether it changed something,
/// what it is about, and why it failed when it did. Each endpoint renders it in its own shape
/// (`ChatSlackReply`, `ChatCommandAnswer`).
struct ChatReply: Sendable, Hashable {
    /// Why a command did not do what was asked.
    enum Failure: Sendable, Hashable {
        /// Not a command, or missing/bad arguments: the reply carries the usage.
        case usage
        /// The ref names no incident or alert.
        case notFound
        /// The target's state forbids it (already resolved, status moving backwards).
        case conflict
        /// A text is too long or otherwise invalid.
        case invalid
    }

    /// What the reply is about.
    enum Subject: Sendable, Hashable {
        case incident(IncidentDetail)
        case alert(AlertRecord)
        /// `open`: open incidents, most severe first.
        case incidents([Incident])
        /// `oncall`: who is on call in each schedule asked about.
        case onCall([ChatOnCall])
    }

    var text: ChatText
    /// Nil on success.
    var failure: Failure?
    /// True when the command wrote something (Slack shows such replies to the channel).
    var changed: Bool
    var subject: Subject?
    /// True for `help` and for lines that are not commands: Slack adds how to type them.
    var showsUsage: Bool

    init(
        text: ChatText, failure: Failure? = nil, changed: Bool = false, subject: Subject? = nil,
        showsUsage: Bool = false
    ) {
        self.text = text
        self.failure = failure
        self.changed = changed
        self.subject = subject
        self.showsUsage = showsUsage
    }

    /// A failed command's reply.
    static func failed(_ failure: Failure, _ text: ChatText) -> ChatReply {
        ChatReply(text: text, failure: failure, showsUsage: failure == .usage)
    }

    var isSuccess: Bool { failure == nil }
}
