import Domain
import Foundation
import HTTPServer
import Repositories

/// Chat commands (issue 8, SPEC §4 Chat): `POST /api/v1/chat/command` for any bot (responder
/// API key) and `POST /api/v1/chat/slack` for Slack slash commands (Slack's request signature,
/// checked in `ChatController+Slack.swift`). Both run the line with ``ChatDispatcher`` in the
/// request's one transaction and never answer 500 for a command: unknown commands get the
/// help, unknown refs and resolved targets a clear sentence.
enum ChatController {
    /// `{"text": "ack INC-42 looking", "user": "alice"}` → `{"ok", "text", "incident"|"alert"}`.
    ///
    /// 200 when the command ran (also a no-op such as acknowledging twice); `{"ok": false}`
    /// with 404 for an unknown ref, 409 for a resolved target, 422 for a line that is not a
    /// command or a text that is too long. A body that is not the JSON above is a problem+json
    /// 400/415/422, like every route.
    @Sendable static func command(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(ChatCommandBody.self)
        var check = Validator()
        let user = check.optional(
            "user", body.user, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        try check.finish()
        let dispatcher = ChatDispatcher(
            connection: context.connection, actor: context.actor(user), now: context.now)
        let reply = try dispatcher.reply(to: body.text)
        let answer = ChatCommandAnswer(
            reply: reply, now: context.now, policy: context.environment.settings.slaPolicy)
        return try APIJSON.response(answer, status: ChatCommandAnswer.status(of: reply))
    }

    /// A Slack slash command (form body). HTTP 200 with Slack's JSON for every command
    /// outcome, errors included, because Slack shows any other status as "failed with the
    /// error dispatch_failed" instead of our sentence; 401 for a missing or bad signature.
    @Sendable static func slack(_ context: RequestContext) throws -> HTTPResponse {
        let slash = SlackSlashCommand(form: try context.request.formParameters())
        // Slack's certificate probe carries no command and changes nothing: answer it before
        // the signature check, as Slack's own SDKs do.
        if slash.kind == .sslCheck { return HTTPResponse(status: 200) }
        if let refusal = try verifySlackSignature(context) { return refusal }
        guard slash.kind == .command else {
            return try slackAnswer(
                ephemeral: "incidentd answers slash commands only; interactive payloads are not handled.")
        }
        var check = Validator()
        let user = check.optional(
            "user_name", slash.actor, maxLength: TimelineEntry.maxActorLength, singleLine: true)
        guard check.isValid, let user else {
            return try slackAnswer(ephemeral: "Slack sent no usable user_name or user_id; nothing was done.")
        }
        let reply = try ChatDispatcher(connection: context.connection, actor: user, now: context.now)
            .reply(to: slash.text)
        return try APIJSON.response(ChatSlackReply(reply, command: slash.command))
    }

    /// An ephemeral Slack message of ours, HTTP 200.
    static func slackAnswer(ephemeral text: ChatText) throws -> HTTPResponse {
        try APIJSON.response(ChatSlackReply(ephemeral: text))
    }
}
