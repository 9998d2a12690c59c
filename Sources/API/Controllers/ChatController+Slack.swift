import Foundation
import HTTPServer
import Repositories

/// Slack request signatures. The route is declared `.credentialsInRequest` ("the handler
/// authenticates itself"): Slack cannot send our Bearer key, it signs the body instead.
extension ChatController {
    /// Checks the Slack signature with the configured signing secret. Returns the answer to
    /// send instead when the request is refused:
    /// - 401 when no signing secret is configured: the route acts for any Slack user without an
    ///   API key, so without a secret anyone could acknowledge and resolve (docs/CHAT.md);
    /// - 401 for a missing, stale (more than 5 minutes off) or wrong signature, counted as an
    ///   auth failure of the address (SPEC §5);
    /// - 429 instead of that 401 while the address is over its failure budget; a correctly
    ///   signed request from it goes through.
    /// Each refusal writes its audit row in this request's transaction, which commits it.
    static func verifySlackSignature(_ context: RequestContext) throws -> HTTPResponse? {
        let request = context.request
        let address = ClientAddress.of(request)
        let limiter = context.environment.authFailures
        guard let secret = context.environment.settings.slackSigningSecret, !secret.isEmpty else {
            return try refuse(
                unauthorized(
                    "Slack requests are refused: no Slack signing secret is configured "
                        + "(INCIDENTD_SLACK_SIGNING_SECRET)."), context)
        }
        do {
            try SlackSignature(secret: secret).verify(
                signature: request.headers[SlackSignature.signatureHeader],
                timestamp: request.headers[SlackSignature.timestampHeader], body: request.body,
                now: context.now)
            return nil
        } catch {
            // A correct signature is never refused for its address's failures (issue 20).
            if let retryAfter = limiter.retryAfter(address: address, now: context.now) {
                var headers = HTTPHeaders()
                headers.set(name: "Retry-After", value: String(retryAfter))
                return try refuse(
                    ProblemDetails(
                        status: 429,
                        detail: "Too many failed authentications from this address; retry later.",
                        headers: headers), context)
            }
            limiter.recordFailure(address: address, now: context.now)
            return try refuse(unauthorized(error.detail), context)
        }
    }

    /// A 401 naming Slack's signature as the scheme (RFC 9110 §15.5.2: a 401 carries
    /// `WWW-Authenticate`).
    static func unauthorized(_ detail: String) -> ProblemDetails {
        var headers = HTTPHeaders()
        headers.set(name: "WWW-Authenticate", value: "Slack-Signature realm=\"incidentd\"")
        return ProblemDetails(status: 401, detail: detail, headers: headers)
    }

    /// Records the refusal in the audit log and renders it.
    static func refuse(_ problem: ProblemDetails, _ context: RequestContext) throws -> HTTPResponse {
        try AuditRepository(context.connection).record(
            RequestAudit.entry(
                context.request, principal: .anonymous, status: problem.status, now: context.now))
        return .problem(problem)
    }
}
