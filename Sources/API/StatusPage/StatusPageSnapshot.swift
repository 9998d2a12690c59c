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
    /// Public windows in progress or starting within the horizon, soonest first.
    let maintenance: [PublicMaintenanceWindow]
    /// The next instant the page changes with no write: a shown window starts or ends, or the
    /// next public window comes within the horizon. Nil when no public window is planned.
    let nextChange: Date?

    init(connection: PostgresConnection, now: Date) throws {
        self.now = now
        let repository = StatusComponentRepository(connection)
        let records = try repository.list()
        // One read of the public windows serves both the components' status and the list.
        let windows = try repository.upcomingPublicMaintenance(at: now)
        let histories = try repository.histories(of: records, maintenance: windows)
        components = records.map { ($0, histories[$0.id]?.current(at: now) ?? .operational) }
        incidents = try IncidentPublicationRepository(connection).openPublicIncidents()
        let horizon = now.addingTimeInterval(Self.maintenanceHorizon)
        // Inclusive, so that a render at the instant a window comes within the horizon shows it.
        maintenance = windows.filter { $0.startsAt <= horizon }
        let boundaries =
            maintenance.flatMap { [$0.startsAt, $0.endsAt] }
            + windows.filter { $0.startsAt > horizon }.map {
                $0.startsAt.addingTimeInterval(-Self.maintenanceHorizon)
            }
        nextChange = boundaries.filter { $0 > now }.min()
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

    /// The components showing any of `window`'s services (every component for a window over
    /// every service).
    func components(covering window: PublicMaintenanceWindow) -> [(
        record: StatusComponentRecord, status: ComponentStatus
    )] {
        guard let ids = window.serviceIDs.map(Set.init) else { return components }
        return components.filter { $0.record.serviceIDs.contains(where: ids.contains) }
    }

    /// Whether a maintenance window is in progress now.
    func isActive(_ window: PublicMaintenanceWindow) -> Bool { window.startsAt <= now && now < window.endsAt }
}
