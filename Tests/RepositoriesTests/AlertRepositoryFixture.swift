import Domain
import Foundation
import Postgres
import Repositories
import TestSupport

/// A fresh migrated database with one service, for alert and timeline repository tests.
struct AlertRepositoryFixture {
    let database: PostgresTestDatabase
    let pool: PostgresPool
    let serviceID: Int64
    let serviceName = "payments"

    init(maxConnections: Int = 4) throws {
        database = try TestDatabase.makeFreshDatabase()
        pool = database.makePool(maxConnections: maxConnections)
        let name = serviceName
        serviceID = try pool.withConnection { connection in
            try ServiceRepository(connection).create(
                name: name, description: "", criticalAlertIncidentSeverity: "SEV2"
            ).id
        }
    }

    /// A valid trigger for the fixture's service.
    func newAlert(
        dedupKey: String? = "disk-full", summary: String = "Disk 91% full on db-1",
        severity: String = "warning",
        details: JSONValue? = nil
    ) throws -> NewAlert {
        try NewAlert.validate(
            service: serviceName, source: "db-1", summary: summary, severity: severity, dedupKey: dedupKey,
            details: details, links: [AlertLink(href: "https://grafana.example/d/disk", text: "Dashboard")])
    }

    /// Runs `body` in a transaction, as a request does.
    func transaction<Result>(_ body: (PostgresConnection) throws -> Result) throws -> Result {
        try pool.withTransaction(body)
    }

    /// Triggers `alert` in its own transaction, counting every repeat.
    func trigger(_ alert: NewAlert, at now: Date = Date()) throws -> AlertTriggerResult {
        let serviceID = serviceID
        return try transaction { connection in
            guard
                let result = try AlertRepository(connection).trigger(
                    alert, serviceID: serviceID, actor: "tests", now: now)
            else { throw FixtureError.noTriggerResult }
            return result
        }
    }

    /// The alert's timeline, all of it.
    func timeline(alertID: Int64) throws -> [TimelineEntry] {
        try pool.withConnection {
            try TimelineRepository($0).list(.alert(alertID), limit: 500, cursor: nil).items
        }
    }

    func close() { pool.close() }

    enum FixtureError: Error {
        case noTriggerResult
    }
}
