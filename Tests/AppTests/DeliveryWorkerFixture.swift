import API
import App
import Domain
import Foundation
import Notifications
import Postgres
import Repositories
import TestSupport

/// A fresh database with channels, events appended as a request would append them, and
/// delivery workers over a ``ScriptedTransport``.
final class DeliveryWorkerFixture: @unchecked Sendable {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let transport = ScriptedTransport()

    init() throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: 6)
    }

    func close() { pool.close() }

    /// Fast settings: the backoff in milliseconds, a short lease.
    static func settings(backoff: String = "10ms,10ms,10ms,10ms", lease: TimeInterval = 60)
        -> DeliveryWorker.Settings
    {
        var settings = DeliveryWorker.Settings()
        settings.backoff = DeliveryBackoff(parsing: backoff)!
        settings.lease = lease
        settings.sendTimeout = min(settings.sendTimeout, lease / 2)
        settings.pollInterval = 0.05
        settings.senders = 2
        settings.mailFrom = "incidentd <ops@example.com>"
        return settings
    }

    func worker(
        _ settings: DeliveryWorker.Settings = settings(), metrics: DeliveryMetrics = DeliveryMetrics()
    )
        -> DeliveryWorker
    {
        DeliveryWorker(
            pool: pool, conninfo: database.conninfo, transport: transport, settings: settings,
            metrics: metrics)
    }

    /// A channel made straight through the repository.
    func channel(
        _ name: String, kind: ChannelKind = .webhook, url: String? = nil, to: [String]? = nil,
        events: [String] = ["*"]
    ) throws -> ChannelRecord {
        let channel = try NewChannel.validate(
            name: name, kind: kind.rawValue,
            url: kind == .email ? nil : (url ?? "http://receiver.test/\(name)"),
            to: to, events: events, services: nil, minSeverity: nil, enabled: true)
        return try pool.withTransaction {
            try ChannelRepository($0).create(
                channel, serviceIDs: [], secret: kind == .webhook ? WebhookSecret.generate() : nil,
                now: Date())
        }
    }

    /// Appends `event` in a transaction of its own; its fan-out writes the deliveries.
    @discardableResult
    func append(_ event: NewEvent) throws -> Int64 {
        try pool.withTransaction { try EventRepository($0).append(event, now: Date()) }
    }

    /// An incident event for incident `id` (no incident row is needed: services are looked up).
    func incidentEvent(_ type: EventType, incident id: Int64, title: String = "Checkout down") -> NewEvent {
        NewEvent(
            type: type, actor: "alice", subject: .incident(id), incidentID: id, severity: "SEV1",
            data: ["title": .string(title), "status": "investigating"])
    }

    func deliveries(event: Int64? = nil, channel: Int64? = nil) throws -> [DeliveryRecord] {
        try pool.withConnection {
            try DeliveryRepository($0).list(
                DeliveryListFilter(channelID: channel, eventID: event), before: nil, limit: 500
            )
            .deliveries
        }
    }

    /// Runs `body` until it returns true or `seconds` pass; whether it did.
    func eventually(_ seconds: TimeInterval = 15, _ body: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try body() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return try body()
    }
}
