import Domain
import Foundation
import HTTPServer
import Notifications
import Postgres
import Repositories

/// `POST|GET /api/v1/channels`, `GET|PATCH|DELETE /api/v1/channels/{id}` (admin, SPEC §9).
///
/// A webhook channel's secret (`whsec_` + base64 of 32 random bytes) is in the answer that
/// makes it and nowhere else; `PATCH {"rotate_secret": true}` makes a new one (shown once) while
/// the old one keeps signing for ``secretRotationOverlap`` (both signatures are sent).
///
/// `url` is checked for its form (Domain's `ChannelRules.url`), then against the SSRF guard
/// (SPEC §9: loopback, private, link-local and metadata ranges refused unless
/// `INCIDENTD_OUTBOUND_ALLOW`, a 422 naming `url`; ``checkDestination(_:takesURL:policy:issues:)``);
/// the delivery transport checks again at every connect.
enum ChannelsController {
    /// How long a webhook channel's previous secret keeps signing after a rotation (both
    /// signatures are sent meanwhile): a day, time enough to deploy the new secret to receivers.
    static let secretRotationOverlap: TimeInterval = 86_400

    @Sendable static func create(_ context: RequestContext) throws -> HTTPResponse {
        let body = try context.request.decodeBody(ChannelBody.self)
        var issues: [FieldIssue] = []
        var channel: NewChannel?
        do {
            channel = try NewChannel.validate(
                name: body.name, kind: body.kind, url: body.url, to: body.to?.values, events: body.events,
                services: body.services?.map(\.text), minSeverity: body.minSeverity, enabled: body.enabled)
        } catch {
            issues = error.issues
        }
        let kind = body.kind.flatMap { ChannelKind(rawValue: $0.lowercased()) }
        checkDestination(
            body.url, takesURL: kind == .webhook || kind == .slack,
            policy: context.environment.settings.outboundPolicy, issues: &issues)
        // Unknown services are reported with the other bad fields.
        let references = body.services?.map(\.text) ?? []
        let serviceIDs: [Int64] = try resolveServices(references, issues: &issues, context: context)
        guard issues.isEmpty, let channel else { throw ValidationError(issues) }
        let secret = channel.kind == .webhook ? WebhookSecret.generate() : nil
        let record = try ChannelRepository(context.connection).create(
            channel, serviceIDs: serviceIDs, secret: secret, now: context.now)
        var headers = HTTPHeaders()
        headers.set(name: "Location", value: "/api/v1/channels/\(record.id)")
        headers.set(name: "Cache-Control", value: "no-store")
        return try APIJSON.response(
            ChannelDTO(record, secret: secret, now: context.now), status: 201, headers: headers)
    }

    @Sendable static func list(_ context: RequestContext) throws -> HTTPResponse {
        let page = try PageRequest(context.request.query)
        let after = try page.cursor.map { cursor -> Int64 in
            guard let id = Int64(cursor), id >= 0 else {
                throw ValidationError(field: "cursor", message: "is not a cursor this API issued")
            }
            return id
        }
        let (channels, hasMore) = try ChannelRepository(context.connection).list(
            after: after, limit: page.limit)
        let next = hasMore ? channels.last.map { String($0.id) } : nil
        return try APIJSON.response(
            ListPage(items: channels.map { ChannelDTO($0, now: context.now) }, nextCursor: next))
    }

    @Sendable static func show(_ context: RequestContext) throws -> HTTPResponse {
        try APIJSON.response(ChannelDTO(try find(context), now: context.now))
    }

    @Sendable static func update(_ context: RequestContext) throws -> HTTPResponse {
        let current = try find(context)
        let body = try context.request.decodeBody(ChannelBody.self)
        var issues: [FieldIssue] = []
        var patch: ChannelPatch?
        do {
            patch = try ChannelPatch.validate(
                currentKind: current.kind, name: body.name, kind: body.kind, url: body.url,
                to: body.to?.values,
                events: body.events, services: body.services?.map(\.text), minSeverity: body.minSeverity,
                enabled: body.enabled, rotateSecret: body.rotateSecret)
        } catch {
            issues = error.issues
        }
        checkDestination(
            body.url, takesURL: current.kind != .email, policy: context.environment.settings.outboundPolicy,
            issues: &issues)
        var serviceIDs: [Int64]?
        if let references = body.services?.map(\.text) {
            serviceIDs = try resolveServices(references, issues: &issues, context: context)
        }
        guard issues.isEmpty, let patch else { throw ValidationError(issues) }
        let secret = patch.rotateSecret ? WebhookSecret.generate() : nil
        let record = try ChannelRepository(context.connection).update(
            id: current.id, patch: patch, serviceIDs: serviceIDs, newSecret: secret,
            overlapUntil: context.now.addingTimeInterval(
                secretRotationOverlap),
            actor: context.actor(nil), now: context.now)
        var headers = HTTPHeaders()
        if secret != nil { headers.set(name: "Cache-Control", value: "no-store") }
        return try APIJSON.response(
            ChannelDTO(record, secret: secret, now: context.now), headers: headers)
    }

    @Sendable static func delete(_ context: RequestContext) throws -> HTTPResponse {
        let channel = try find(context)
        _ = try ChannelRepository(context.connection).delete(id: channel.id)
        return HTTPResponse(status: 204)
    }

    /// `POST /channels/{id}/test` (SPEC §9): appends a `test` event and one delivery of it to
    /// this channel only; 202 with both. A disabled channel sends nothing: 409.
    @Sendable static func test(_ context: RequestContext) throws -> HTTPResponse {
        let channel = try find(context)
        guard channel.enabled else {
            throw DomainError.conflict(
                "Channel \(channel.id) is disabled (\(channel.disabledReason ?? "by an admin")); enable it with PATCH first."
            )
        }
        let eventID = try EventRepository(context.connection).append(
            .channelTest(channelID: channel.id, channelName: channel.name, actor: context.actor(nil)),
            now: context.now)
        let delivery = try DeliveryRepository(context.connection).enqueue(
            eventID: eventID, channelID: channel.id, now: context.now)
        return try APIJSON.response(
            TestAnswer(eventID: eventID, delivery: DeliveryDTO(delivery)), status: 202)
    }

    struct TestAnswer: Encodable {
        let eventID: Int64
        let delivery: DeliveryDTO

        enum CodingKeys: String, CodingKey {
            case delivery
            case eventID = "event_id"
        }
    }

    /// The ids of the services `references` name; unknown ones become issues naming `services[i]`.
    private static func resolveServices(
        _ references: [String], issues: inout [FieldIssue], context: RequestContext
    )
        throws -> [Int64]
    {
        let trimmed = references.map { Validator.trimmed($0) ?? "" }
        let found = try ServiceRepository(context.connection).resolve(trimmed)
        // Blank ones were already reported by ChannelRules.
        for (index, service) in found.enumerated() where service == nil && !trimmed[index].isEmpty {
            issues.append(
                FieldIssue(field: "services[\(index)]", message: "no service is named \(references[index])"))
        }
        return found.compactMap { $0?.id }
    }

    /// The channel named by the `{id}` path parameter.
    static func find(_ context: RequestContext) throws -> ChannelRecord {
        let text = try context.pathParameter("id")
        guard let id = Int64(text), id > 0,
            let channel = try ChannelRepository(context.connection).find(id: id)
        else {
            throw DomainError.notFound(.channel, text)
        }
        return channel
    }
}
