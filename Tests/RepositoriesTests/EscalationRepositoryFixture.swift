import Domain
import Foundation
import Postgres
import Repositories
import TestSupport

/// A fresh database for escalation tests: services `payments` and `search`; Ana (email and
/// webhook), Ben (email) and Cy (no contact method); a schedule `primary` with Ben on call from
/// 2026-01-01 for good; a webhook channel `ops`.
struct EscalationRepositoryFixture {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let paymentsID: Int64
    let searchID: Int64
    let ana: Int64
    let ben: Int64
    let cy: Int64
    let primary: Int64
    let ops: Int64
    let sla = SLAPolicy.standard

    init(maxConnections: Int = 4) throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: maxConnections)
        let ids = try pool.withTransaction { connection in
            let services = ServiceRepository(connection)
            let payments = try services.create(
                name: "payments", description: "", criticalAlertIncidentSeverity: "SEV1")
            let search = try services.create(
                name: "search", description: "", criticalAlertIncidentSeverity: "SEV2")
            let users = UserRepository(connection)
            func user(_ name: String) throws -> Int64 {
                try users.create(
                    try NewUser.validate(name: name, email: nil, chatUser: name.lowercased(), timeZone: nil)
                )
                .id
            }
            let (ana, ben, cy) = (try user("Ana"), try user("Ben"), try user("Cy"))
            let methods = ContactMethodRepository(connection)
            _ = try methods.add(
                try NewContactMethod.validate(kind: "email", to: "ana@example.com", url: nil), userID: ana,
                secret: nil)
            _ = try methods.add(
                try NewContactMethod.validate(kind: "webhook", to: nil, url: "http://127.0.0.1:9/ana"),
                userID: ana,
                secret: WebhookSecretText.make())
            _ = try methods.add(
                try NewContactMethod.validate(kind: "email", to: "ben@example.com", url: nil), userID: ben,
                secret: nil)
            let schedule = try ScheduleRepository(connection).create(
                try ScheduleDefinition.validate(
                    name: "primary", timeZone: "UTC",
                    layers: [
                        LayerInput(
                            name: "ben", rotation: "weekly", length: 1, start: "2026-01-01T00:00:00",
                            participants: [ben])
                    ], knownUsers: [ben]))
            let channel = try ChannelRepository(connection).create(
                try NewChannel.validate(
                    name: "ops", kind: "webhook", url: "http://127.0.0.1:9/ops", to: nil,
                    events: ["delivery.dead"],
                    services: nil, minSeverity: nil, enabled: true),
                serviceIDs: [], secret: WebhookSecretText.make(), now: Date())
            return (payments.id, search.id, ana, ben, cy, schedule.id, channel.id)
        }
        (paymentsID, searchID, ana, ben, cy, primary, ops) = ids
    }

    /// Stores a policy from `steps` (delay, targets) and gives it to `payments`.
    @discardableResult
    func policy(
        _ steps: [(delay: Int, targets: [EscalationTarget])], repeat count: Int = 0,
        name: String = "Platform",
        assign: Bool = true
    ) throws -> EscalationPolicyRecord {
        let plan = EscalationPlan(
            steps: steps.map { EscalationPlan.Step(delaySeconds: $0.delay, targets: $0.targets) },
            repeat: count)
        let input = EscalationPolicyInput(
            name: name,
            steps: plan.steps.map {
                .init(
                    delaySeconds: $0.delaySeconds,
                    targets: $0.targets.map { .init(type: $0.kind.rawValue, id: $0.id) })
            },
            repeat: count)
        return try pool.withTransaction { connection in
            let record = try EscalationPolicyRepository(connection).create(
                try NewEscalationPolicy.validate(input), now: Date())
            if assign {
                _ = try ServiceRepository(connection).update(
                    id: paymentsID, description: nil, criticalAlertIncidentSeverity: nil,
                    escalationPolicy: .set(record.id))
            }
            return record
        }
    }

    /// Declares an incident on `payments`, as `POST /incidents` does.
    func incident(severity: String = "SEV1", services: [String] = ["payments"], now: Date) throws -> Incident
    {
        let new = try NewIncident.validate(
            title: "Checkout down", severity: severity, summary: nil, impact: nil, commander: nil,
            services: services,
            alertIDs: [], startedAt: nil, detectedAt: nil, now: now)
        return try pool.withTransaction {
            try IncidentRepository($0).create(new, actor: "alice", policy: sla, now: now)
        }
    }

    /// Triggers a critical alert on `payments` and groups it, as every alert source does.
    func criticalAlert(_ key: String = "cpu", now: Date) throws -> AlertRecord {
        let alert = try NewAlert.validate(
            service: "payments", source: "prometheus", summary: "\(key) alert", severity: "critical",
            dedupKey: key,
            details: nil, links: nil)
        return try pool.withTransaction { connection in
            let result = try AlertRepository(connection).trigger(
                alert, serviceID: paymentsID, actor: "prometheus", now: now)!
            return try IncidentRepository(connection).groupTriggered(
                result, actor: "prometheus", policy: sla, now: now
            )
            .record
        }
    }

    /// One worker pass at `now`.
    @discardableResult
    func pass(at now: Date, limit: Int = 100) throws -> EscalationPass {
        try pool.withTransaction { try EscalationRepository($0).fireDue(now: now, limit: limit) }
    }

    func escalation(_ incidentID: Int64) throws -> EscalationRecord? {
        try pool.withConnection { try EscalationRepository($0).find(incidentID: incidentID) }
    }

    /// The incident's page deliveries, oldest first.
    func pages(_ incidentID: Int64) throws -> [DeliveryRecord] {
        try pool.withConnection { connection in
            try DeliveryRepository(connection).list(DeliveryListFilter(), before: nil, limit: 500).deliveries
                .filter { $0.page?.incidentID == incidentID }.sorted { $0.id < $1.id }
        }
    }

    func timeline(_ incidentID: Int64) throws -> [TimelineEntry] {
        try pool.withConnection {
            try IncidentRepository($0).timeline(id: incidentID, limit: 500, cursor: nil).items
        }
    }

    /// The incident's `incident.escalated` events, oldest first.
    func escalatedEvents(_ incidentID: Int64) throws -> [Event] {
        try pool.withConnection { connection in
            try connection.query(
                "SELECT id FROM events WHERE incident_id = \(incidentID) AND type = 'incident.escalated' ORDER BY id"
            ).map { try EventRepository(connection).find(id: try $0.decode("id"))! }
        }
    }
}

/// A webhook secret in the stored form (`whsec_` + base64 of 32 bytes).
enum WebhookSecretText {
    static func make() -> String {
        "whsec_" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }
}
