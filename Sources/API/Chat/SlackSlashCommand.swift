import Domain
import Foundation
import HTTPServer

/// The fields of a Slack request to `/api/v1/chat/slack` (an `application/x-www-form-urlencoded`
/// body, api.slack.com "Implementing slash commands") that incidentd uses.
struct SlackSlashCommand: Sendable, Hashable {
    /// What the form is.
    enum Kind: Sendable, Hashable {
        /// A slash command (`command`, `text`, `user_id`, ...).
        case command
        /// `ssl_check=1`: Slack probing the certificate when the command URL is saved; answer 200.
        case sslCheck
        /// An interactive payload (`payload=<json>`, from buttons or shortcuts): not handled.
        case interactivePayload
    }

    let kind: Kind
    /// The command as typed, such as `/incident`.
    let command: String?
    /// The text after the command, with Slack's `&amp;`/`&lt;`/`&gt;` undone.
    let text: String
    let userID: String?
    let userName: String?
    let channelName: String?

    init(form: QueryParameters) {
        if form["payload"] != nil && form["command"] == nil {
            kind = .interactivePayload
        } else if form["ssl_check"] == "1" && form["command"] == nil {
            kind = .sslCheck
        } else {
            kind = .command
        }
        command = Self.nonEmpty(form["command"])
        text = ChatCommand.slackUnescaped(form["text"] ?? "")
        userID = Self.nonEmpty(form["user_id"])
        userName = Self.nonEmpty(form["user_name"])
        channelName = Self.nonEmpty(form["channel_name"])
    }

    /// The name recorded on timelines: the Slack user name, else the user id (issue 8: the
    /// acting user is the chat user). Nil when Slack sent neither.
    var actor: String? { userName ?? userID }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }
}
