import Domain
import HTTPServer
import Repositories

/// `GET|PUT /api/v1/admin/read-only` (SPEC §12, seed Playbook 4 "stop writes").
enum ReadOnlyModeController {
    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(ReadOnlyModeDTO(state: ReadOnlyModeRepository(context.connection).current()))
    }

    /// Flips the switch. Every process follows within a second; this one at once.
    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(ReadOnlyModeBody.self)
        let wanted = try ReadOnlyState.validate(
            enabled: body.enabled, reason: body.reason, retryAfterSeconds: body.retryAfterSeconds)
        let state = try ReadOnlyModeRepository(context.connection).set(
            enabled: wanted.enabled, reason: wanted.reason, retryAfterSeconds: wanted.retryAfterSeconds,
            by: context.actor(nil), now: context.now)
        context.environment.readOnly.update(state)
        return try APIJSON.response(ReadOnlyModeDTO(state: state))
    }
}
