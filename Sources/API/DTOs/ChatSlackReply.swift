import Domain

/// The answer to a Slack slash command (api.slack.com "Responding to slash commands"):
/// `{"response_type", "text", "blocks"}`. Commands that changed something are shown
/// `in_channel` (the team sees who acknowledged); help, lookups and errors `ephemeral` (only
/// the caller sees them), issue 8.
struct ChatSlackReply: Encodable {
    /// Slack's limit for the text of a section block; longer replies go without blocks.
    static let maxSectionTextLength = 3000

    let responseType: String
    let text: String
    let blocks: [Block]?

    /// A Block Kit block: a `section` with `mrkdwn` text, or a `context` line.
    struct Block: Encodable {
        let type: String
        let text: TextObject?
        let elements: [TextObject]?
    }

    /// A Block Kit text object.
    struct TextObject: Encodable {
        let type = "mrkdwn"
        let text: String
    }

    enum CodingKeys: String, CodingKey {
        case text, blocks
        case responseType = "response_type"
    }

    /// `reply` for Slack; `command` (`/incident`) prefixes usage hints.
    init(_ reply: ChatReply, command: String?) {
        var text = reply.text
        if reply.showsUsage, let command {
            text.append("\nType `\(command) <command>`, e.g. `\(command) ack INC-42 Investigating`.")
        }
        let markdown = text.slackMarkdown
        self.responseType = reply.isSuccess && reply.changed ? "in_channel" : "ephemeral"
        self.text = markdown
        guard markdown.count <= Self.maxSectionTextLength, let context = Self.context(reply.subject) else {
            self.blocks = nil
            return
        }
        self.blocks = [
            Block(type: "section", text: TextObject(text: markdown), elements: nil),
            Block(type: "context", text: nil, elements: [TextObject(text: context)]),
        ]
    }

    /// An ephemeral message of ours (not a command's reply).
    init(ephemeral text: ChatText) {
        self.responseType = "ephemeral"
        self.text = text.slackMarkdown
        self.blocks = nil
    }

    /// The context line under an incident or alert: where to talk, what it belongs to.
    static func context(_ subject: ChatReply.Subject?) -> String? {
        switch subject {
        case .incident(let detail)?:
            let incident = detail.incident
            let context: ChatText =
                "\(incident.channel) · \(incident.severity.hyphenated) · \(ChatSummary.count(detail.alertCount, "alert"))"
            return context.slackMarkdown
        case .alert(let record)?:
            var context: ChatText = "Service \(record.service) · dedup key \(record.dedupKey)"
            if let incidentID = record.incidentID { context.append(" · \(EntityRef.incident(incidentID))") }
            return context.slackMarkdown
        case .incidents?, .onCall?, nil:
            return nil
        }
    }
}
