import App
import Foundation
import Postgres
import TestSupport

/// A process with the SLA breach job, 5 incidents per batch.
typealias SLAJobServer = JobTestServer<SLABreachJob>
/// A process with the heartbeat expiry job, 5 heartbeats per batch.
typealias HeartbeatJobServer = JobTestServer<HeartbeatExpiryJob>
/// A process with the maintenance window job, which drops the API's cached answers as `serve`'s does.
typealias MaintenanceJobServer = JobTestServer<MaintenanceWindowJob>

extension JobTestServer where Job == SLABreachJob {
    convenience init(
        database: PostgresTestDatabase, interval: TimeInterval, clock: @escaping @Sendable () -> Date
    )
        throws
    {
        try self.init(database: database, clock: clock) { pool, _ in
            SLABreachJob(
                pool: pool, settings: SLABreachJob.Settings(interval: interval, batchSize: 5), clock: clock)
        }
    }
}

extension JobTestServer where Job == HeartbeatExpiryJob {
    /// The job counts silence from `processStartedAt`.
    convenience init(
        database: PostgresTestDatabase,
        checkInterval: TimeInterval = HeartbeatExpiryJob.Settings.defaultInterval,
        processStartedAt: Date = Date(), clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try self.init(database: database, clock: clock) { pool, _ in
            HeartbeatExpiryJob(
                pool: pool, settings: HeartbeatExpiryJob.Settings(interval: checkInterval, batchSize: 5),
                processStartedAt: processStartedAt, clock: clock)
        }
    }

    /// Creates service `service` and heartbeat `name` on it with an admin key.
    func makeHeartbeat(_ name: String, service: String, interval: Int, grace: Int, key: String) throws {
        _ = try request("POST", "/api/v1/services", json: #"{"name":"\#(service)"}"#, key: key)
        let created = try request(
            "POST", "/api/v1/heartbeats",
            json:
                #"{"name":"\#(name)","service":"\#(service)","interval_seconds":\#(interval),"grace_seconds":\#(grace)}"#,
            key: key)
        guard created.status == 201 else { throw SetupFailure(description: "heartbeat \(name): \(created)") }
    }
}

extension JobTestServer where Job == MaintenanceWindowJob {
    convenience init(
        database: PostgresTestDatabase, settings: MaintenanceWindowJob.Settings = .init(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        try self.init(database: database, clock: clock) { pool, environment in
            MaintenanceWindowJob(
                pool: pool, settings: settings, policy: environment.settings.slaPolicy, clock: clock,
                onChange: { environment.responses.invalidateAll() })
        }
    }

    /// The maintenance events of the log, oldest first (read straight from the table).
    func maintenanceEvents() throws -> [(type: String, window: String, startsAt: String)] {
        try pool.withConnection { connection in
            try connection.query(
                """
                SELECT type, subject_ref, data ->> 'starts_at' AS starts_at FROM events
                WHERE type LIKE 'maintenance.%' ORDER BY id
                """
            ).map { row in
                (try row.decode("type"), try row.decode("subject_ref"), try row.decode("starts_at"))
            }
        }
    }
}
