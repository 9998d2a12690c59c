import Domain
import Foundation
import Postgres

extension StatusComponentRepository {
    /// Each component's status history as seen at `now` (``histories(of:maintenance:)``, with
    /// the public maintenance windows in force at `now` or next). Four queries whatever the
    /// number of components.
    public func histories(of components: [StatusComponentRecord], at now: Date) throws
        -> [Int64: ComponentStatusHistory]
    {
        guard !components.isEmpty else { return [:] }
        return try histories(of: components, maintenance: upcomingPublicMaintenance(at: now))
    }

    /// Each component's status history, derived from the rows that caused it (SPEC §13): the
    /// public incidents on its services (publication, `severity_changed` entries, resolution),
    /// its manual overrides, and `maintenance`: the public windows' periods
    /// (``upcomingPublicMaintenance(at:)``), each an `under_maintenance` interval on the
    /// components of its services. Past periods of maintenance are not kept: they change no
    /// uptime figure (`under_maintenance` counts as up, SPEC §14). Three queries whatever the
    /// number of components.
    public func histories(of components: [StatusComponentRecord], maintenance: [PublicMaintenanceWindow])
        throws -> [Int64: ComponentStatusHistory]
    {
        guard !components.isEmpty else { return [:] }
        let componentIDs = components.map(\.id)
        let serviceIDs = Array(Set(components.flatMap(\.serviceIDs)))
        var intervals: [Int64: [StatusInterval]] = [:]

        // Manual overrides, in order per component.
        var overrides: [Int64: [(at: Date, status: ComponentStatus?)]] = [:]
        for row in try connection.query(
            """
            SELECT component_id, status, set_at FROM status_component_overrides
            WHERE component_id = ANY(\(componentIDs)) ORDER BY component_id, set_at, id
            """)
        {
            let status: String? = try row.decode("status")
            overrides[try row.decode("component_id"), default: []].append(
                (try row.decode("set_at"), status.flatMap(ComponentStatus.init(rawValue:))))
        }
        for (id, rows) in overrides {
            intervals[id, default: []] += ComponentStatusHistory.overrideIntervals(rows)
        }

        // Public incidents on these services, each with its severity changes.
        let incidents = try connection.query(
            """
            SELECT i.id, i.severity, i.resolved_at, p.published_at,
                   ARRAY(SELECT x.service_id FROM incident_services x WHERE x.incident_id = i.id) AS service_ids,
                   COALESCE((SELECT jsonb_agg(jsonb_build_array(extract(epoch FROM t.occurred_at), t.data->>'from', t.data->>'to')
                                              ORDER BY t.occurred_at, t.id)
                             FROM timeline_entries t
                             WHERE t.incident_id = i.id AND t.kind = 'severity_changed'), '[]'::jsonb)::text
                       AS severity_changes
            FROM incident_publications p JOIN incidents i ON i.id = p.incident_id
            WHERE EXISTS (SELECT 1 FROM incident_services x
                          WHERE x.incident_id = i.id AND x.service_id = ANY(\(serviceIDs)))
            """)
        for row in incidents {
            let severityText: String = try row.decode("severity")
            guard let current = IncidentSeverity(rawValue: severityText) else { continue }
            let changesJSON: String = try row.decode("severity_changes")
            let incidentIntervals = ComponentStatusHistory.incidentIntervals(
                publishedAt: try row.decode("published_at"), resolvedAt: try row.decode("resolved_at"),
                current: current, severityChanges: Self.severityChanges(changesJSON))
            let services = Set(try row.decode("service_ids", as: [Int64].self))
            for component in components where component.serviceIDs.contains(where: services.contains) {
                intervals[component.id, default: []] += incidentIntervals
            }
        }

        for window in maintenance {
            let interval = StatusInterval(
                start: window.startsAt, end: window.endsAt, status: .underMaintenance)
            let covered = window.serviceIDs.map(Set.init)
            for component in components
            where covered.map({ set in component.serviceIDs.contains(where: set.contains) }) ?? true {
                intervals[component.id, default: []].append(interval)
            }
        }
        return Dictionary(
            uniqueKeysWithValues: components.map {
                ($0.id, ComponentStatusHistory(intervals: intervals[$0.id] ?? []))
            })
    }

    /// Decodes the `[[epoch seconds, from, to], ...]` JSON the history query builds.
    static func severityChanges(_ json: String) -> [(at: Date, from: IncidentSeverity, to: IncidentSeverity)]
    {
        guard let array = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[Any]] else {
            return []
        }
        return array.compactMap { item in
            guard item.count == 3, let seconds = (item[0] as? NSNumber)?.doubleValue,
                let from = (item[1] as? String).flatMap(IncidentSeverity.init(rawValue:)),
                let to = (item[2] as? String).flatMap(IncidentSeverity.init(rawValue:))
            else { return nil }
            return (Date(timeIntervalSince1970: seconds), from, to)
        }
    }
}
