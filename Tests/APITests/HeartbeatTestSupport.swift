import App
import Foundation
import Postgres
import TestSupport

/// Helpers the heartbeat and Opsgenie API tests share.
extension TestApp {
    /// Creates service `name` (if needed) and a heartbeat on it; returns the answer's JSON.
    @discardableResult
    func makeHeartbeat(
        _ name: String, service: String, interval: Int = 60, grace: Int = 0, severity: String = "critical",
        enabled: Bool = true
    ) throws -> [String: Any] {
        _ = try admin("POST", "/api/v1/services", json: #"{"name":"\#(service)"}"#)
        let created = try admin(
            "POST", "/api/v1/heartbeats",
            json: #"""
                {"name":"\#(name)","service":"\#(service)","interval_seconds":\#(interval),
                 "grace_seconds":\#(grace),"severity":"\#(severity)","enabled":\#(enabled)}
                """#)
        guard created.status == 201 else { throw AlertTestError.setup(created.bodyText) }
        return created.json
    }

    /// The first column of the first row of `sql` as an integer (counts in checks).
    func scalar(_ sql: String) throws -> Int64 {
        try pool.withConnection { connection in
            try connection.query(PostgresQuery(sql: sql, binds: []))[0].decode(0, as: Int64.self)
        }
    }

    /// Runs `sql` (test set-up that no route offers, e.g. moving a ping into the past).
    func execute(_ sql: String) throws {
        _ = try pool.withConnection { try $0.execute(PostgresQuery(sql: sql, binds: [])) }
    }

    /// One pass of a heartbeat expiry job over this app's database, as a process started at
    /// `processStartedAt` would run it at `now`.
    func expireHeartbeats(now: Date = Date(), processStartedAt: Date = .distantPast) throws -> [String] {
        let job = HeartbeatExpiryJob(pool: pool, processStartedAt: processStartedAt, clock: { now })
        return try job.runOnce().map(\.heartbeat.name)
    }
}
