import Domain
import Foundation
import Postgres

extension StatusComponentRepository {
    /// THE MAINTENANCE HOOK (SPEC §12–§14): every public maintenance window that is not over
    /// (neither finished nor cancelled), each with its period in force at `instant` or its
    /// next one, soonest first. One query over the few live windows; a non-public window is
    /// never read, so its texts cannot reach a public route.
    ///
    /// The period is the stored one (what the alert trigger statements and the transition job
    /// go by), unless it has ended and the job has not yet moved a recurring window on: then
    /// the rule's own answer (``MaintenanceWindowRecord/period(at:)``). A one-off window whose
    /// end has passed is left out even before the job marks it finished.
    public func upcomingPublicMaintenance(at instant: Date) throws -> [PublicMaintenanceWindow] {
        let rows = try connection.query(
            """
            SELECT \(sql: MaintenanceWindowRecord.columns), w.service_ids
            FROM maintenance_windows w
            WHERE w.public AND w.finished_at IS NULL
            """)
        var result: [PublicMaintenanceWindow] = []
        for row in rows {
            let record = try MaintenanceWindowRecord(row: row, services: [])
            // Checked again on the decoded row: the query above is the only filter otherwise.
            guard record.isPublic, let period = record.period(at: instant) else { continue }
            let serviceIDs: [Int64] = try row.decode("service_ids")
            result.append(
                PublicMaintenanceWindow(
                    ref: record.ref.description, description: record.description,
                    serviceIDs: record.allServices ? nil : serviceIDs, startsAt: period.start,
                    endsAt: period.end, createdAt: record.createdAt))
        }
        return result.sorted { ($0.startsAt, $0.ref) < ($1.startsAt, $1.ref) }
    }

    /// The public maintenance windows whose period in force at `from`, or next, starts at or
    /// before `to` (the status page asks for the next 72 hours, SPEC §14): one entry per window, so a
    /// recurring window shows its current or next occurrence, as Statuspage lists one
    /// scheduled maintenance per window.
    public func publicMaintenanceWindows(from: Date, to: Date) throws -> [PublicMaintenanceWindow] {
        try upcomingPublicMaintenance(at: from).filter { $0.startsAt <= to }
    }
}
