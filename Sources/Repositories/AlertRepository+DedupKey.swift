import Domain
import Foundation
import Postgres

extension AlertRepository {
    /// The open alert with `dedupKey`: in the service `serviceID`, or, when nil, in any service
    /// (the newest, should several services have one). Each service has at most one, found
    /// through the partial unique index `alerts_open_dedup_key`.
    public func findOpen(dedupKey: String, serviceID: Int64?) throws -> AlertRecord? {
        if let serviceID { return try findOpen(serviceID: serviceID, dedupKey: dedupKey) }
        // One probe of alerts_open_dedup_key per service rather than a scan of all alerts.
        return try connection.query(
            """
            SELECT \(sql: AlertRecord.columns) FROM alerts a JOIN services s ON s.id = a.service_id
            WHERE a.service_id = ANY(ARRAY(SELECT id FROM services)) AND a.dedup_key = \(dedupKey)
              AND a.status <> 'resolved'
            ORDER BY a.id DESC LIMIT 1
            """
        ).first.map(AlertRecord.init(row:))
    }
}
