import Domain
import Foundation

/// One incident as `GET /incidents/{id}` shows it: the incident, its alerts and its latest
/// status update (issue 6).
public struct IncidentDetail: Sendable, Hashable {
    /// Most alerts listed with an incident; `alertCount` tells how many there are in all.
    public static let maxAlertsShown = 100

    public let incident: Incident
    /// The incident's alerts, oldest first, at most ``maxAlertsShown``.
    public let alerts: [AlertRecord]
    /// How many alerts the incident has.
    public let alertCount: Int
    /// The latest `status_update` entry (seed 003: Status / Impact / Lead / Next update).
    public let latestStatusUpdate: TimelineEntry?
    /// Whether the incident was made public (its public updates reach the status page, SPEC §13).
    public let isPublic: Bool

    public init(
        incident: Incident, alerts: [AlertRecord], alertCount: Int, latestStatusUpdate: TimelineEntry?,
        isPublic: Bool = false
    ) {
        self.isPublic = isPublic
        self.incident = incident
        self.alerts = alerts
        self.alertCount = alertCount
        self.latestStatusUpdate = latestStatusUpdate
    }
}
