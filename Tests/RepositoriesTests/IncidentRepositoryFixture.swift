import Domain
import Foundation
import Postgres
import Repositories
import TestSupport

/// A fresh migrated database with two services (`payments`, `search`), for incident
/// repository tests.
struct IncidentRepositoryFixture {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let paymentsID: Int64
    let searchID: Int64
    let policy = SLAPolicy.standard

    init(maxConnections: Int = 4) throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: maxConnections)
        (paymentsID, searchID) = try pool.withConnection { connection in
            let services = ServiceRepository(connection)
            let payments = try services.create(
                name: "payments", description: "", criticalAlertIncidentSeverity: "SEV1")
            let search = try services.create(
                name: "search", description: "", criticalAlertIncidentSeverity: "SEV2")
            return (payments.id, search.id)
        }
    }

    /// Runs `body` in a transaction, as a request does.
    func transaction<Result>(_ body: (IncidentRepository) throws -> Result) throws -> Result {
        try pool.withTransaction { try body(IncidentRepository($0)) }
    }

    /// Declares an incident through validation, as `POST /incidents` does.
    func create(
        title: String = "Checkout errors", severity: String = "SEV2", services: [String] = ["payments"],
        alertIDs: [Int64] = [], detectedAt: Date? = nil, now: Date = Date()
    ) throws -> Incident {
        let new = try NewIncident.validate(
            title: title, severity: severity, summary: nil, impact: nil, commander: nil, services: services,
            alertIDs: alertIDs.map(String.init), startedAt: nil, detectedAt: detectedAt, now: now)
        return try transaction { try $0.create(new, actor: "alice", policy: policy, now: now) }
    }

    /// Triggers an alert on `service` and groups it, as every alert source's path does.
    @discardableResult
    func trigger(
        service: String = "payments", severity: String = "critical", dedupKey: String = "cpu",
        now: Date = Date()
    ) throws -> AlertTriggerResult {
        let serviceID = service == "payments" ? paymentsID : searchID
        let alert = try NewAlert.validate(
            service: service, source: "prometheus", summary: "\(dedupKey) alert on \(service)",
            severity: severity,
            dedupKey: dedupKey, details: nil, links: nil)
        let policy = policy
        return try pool.withTransaction { connection in
            guard
                let result = try AlertRepository(connection).trigger(
                    alert, serviceID: serviceID, actor: "prometheus", now: now)
            else { throw FixtureError.noTriggerResult }
            return try IncidentRepository(connection).groupTriggered(
                result, actor: "prometheus", policy: policy, now: now)
        }
    }

    /// An alert as stored now.
    func alert(_ id: Int64) throws -> AlertRecord? {
        try pool.withConnection { try AlertRepository($0).find(id: id) }
    }

    /// An incident as stored now.
    func incident(_ id: Int64) throws -> Incident? {
        try pool.withConnection { try IncidentRepository($0).find(id: id) }
    }

    /// The incident's whole timeline (up to 500 entries).
    func timeline(_ id: Int64) throws -> [TimelineEntry] {
        try pool.withConnection { try IncidentRepository($0).timeline(id: id, limit: 500, cursor: nil).items }
    }

    /// Counts rows of a query's `n` column.
    func count(_ query: PostgresQuery) throws -> Int64 {
        try pool.withConnection { try $0.query(query)[0].decode("n") }
    }

    func close() { pool.close() }

    /// The current time in whole seconds: PostgreSQL keeps microseconds, so a `Date()` read
    /// back would not compare equal.
    static func now() -> Date { Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down)) }

    enum FixtureError: Error {
        case noTriggerResult
    }
}

/// A value shared between test threads.
final class IncidentTestBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func mutate(_ body: (inout Value) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        body(&stored)
    }
}
