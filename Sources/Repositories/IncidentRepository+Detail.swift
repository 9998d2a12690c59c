import Domain
import Foundation
import Postgres

extension IncidentRepository {
    /// Incident `id` with its alerts and its latest status update; nil when there is none.
    public func detail(id: Int64) throws -> IncidentDetail? {
        guard let incident = try find(id: id) else { return nil }
        return try detail(of: incident)
    }

    /// `incident` (already read, e.g. just changed) with its alerts and latest status update.
    public func detail(of incident: Incident) throws -> IncidentDetail {
        let alerts = try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.incident_id = \(incident.id) ORDER BY a.id LIMIT \(IncidentDetail.maxAlertsShown)
            """
        ).map(AlertRecord.init(row:))
        var alertCount = alerts.count
        if alertCount == IncidentDetail.maxAlertsShown {
            let rows = try connection.query(
                "SELECT count(*) AS n FROM alerts WHERE incident_id = \(incident.id)")
            alertCount = try rows[0].decode("n")
        }
        let update = try connection.query(
            """
            SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
            WHERE incident_id = \(incident.id) AND kind = \(TimelineEntryKind.statusUpdate.rawValue)
            ORDER BY occurred_at DESC, id DESC LIMIT 1
            """
        ).first.map(TimelineRepository.entry)
        return IncidentDetail(
            incident: incident, alerts: alerts, alertCount: alertCount, latestStatusUpdate: update,
            isPublic: try IncidentPublicationRepository(connection).isPublic(id: incident.id))
    }
}
