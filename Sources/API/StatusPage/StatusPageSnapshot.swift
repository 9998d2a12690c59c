import Domain
import Foundation
import Postgres
import Repositories

/// Everything the public status page shows, read once per answer (SPEC §13): components with
/// their status now, open public incidents with their public updates, and public maintenance
/// windows active or starting within 72 hours (SPEC §14). Nothing else is read, so nothing
/// private can reach a public route.
struct StatusPageSnapshot {
    /// How far ahead maintenance is shown (SPEC §14).
    static let maintenanceHorizon: TimeInterval = 72 * 3_600

    let now: Date
    let components: [(record: StatusComponentRecord, status: ComponentStatus)]
    let incidents: [PublicIncident]
    let maintenance: [PublicMaintenanceWindow]

    init(connection: PostgresConnection, now: Date) throws {
        self.now = now
        let repository = StatusComponentRepository(connection)
        let records = try repository.list()
        let histories = try repository.histories(of: records)
        components = records.map { ($0, histories[$0.id]?.current(at: now) ?? .operational) }
        incidents = try IncidentPublicationRepository(connection).openPublicIncidents()
        maintenance = try repository.publicMaintenanceWindows(
            from: now, to: now.addingTimeInterval(Self.maintenanceHorizon)
        ).filter { $0.endsAt > now }
    }

    /// The worst component status (operational when there are none).
    var worst: ComponentStatus { components.map(\.status).max() ?? .operational }

    /// The latest change among what the page shows (Statuspage's `page.updated_at`).
    var updatedAt: Date {
        let times =
            components.map(\.record.updatedAt) + incidents.map(\.incident.updatedAt)
            + incidents.compactMap { $0.updates.first?.occurredAt }
        return times.max() ?? Date(timeIntervalSince1970: 0)
    }

    /// The components showing any of `incident`'s services.
    func components(of incident: Incident) -> [StatusComponentRecord] {
        let names = Set(incident.services)
        return components.map(\.record).filter { $0.serviceNames.contains(where: names.contains) }
    }

    /// Whether a maintenance window is in progress now.
    func isActive(_ window: PublicMaintenanceWindow) -> Bool { window.startsAt <= now && now < window.endsAt }
}
