import Domain
import Foundation
import Repositories

extension StatusPageSnapshot {
    var page: Statuspage.Page { Statuspage.Page(updatedAt: updatedAt) }

    var status: Statuspage.Status {
        Statuspage.Status(indicator: worst.indicator, description: worst.pageDescription)
    }

    /// Components in Statuspage's form: each group as a group component (status: its worst
    /// member) before its members, which name it in `group_id`.
    var statuspageComponents: [Statuspage.Component] {
        var result: [Statuspage.Component] = []
        var groupIDs: [String: String] = [:]
        for (record, _) in components {
            if let group = record.group, groupIDs[group] == nil { groupIDs[group] = "group-\(record.id)" }
        }
        var emittedGroups: Set<String> = []
        for (record, componentStatus) in components {
            if let group = record.group, let groupID = groupIDs[group], !emittedGroups.contains(group) {
                emittedGroups.insert(group)
                let members = components.filter { $0.record.group == group }
                result.append(
                    Statuspage.Component(
                        id: groupID, name: group,
                        status: (members.map(\.status).max() ?? .operational).rawValue,
                        createdAt: members.map(\.record.createdAt).min() ?? record.createdAt,
                        updatedAt: members.map(\.record.updatedAt).max() ?? record.updatedAt,
                        position: result.count + 1, description: nil, showcase: false, startDate: nil,
                        groupID: nil, group: true, components: members.map { String($0.record.id) }))
            }
            result.append(
                component(
                    record, status: componentStatus, position: result.count + 1,
                    groupID: record.group.flatMap { groupIDs[$0] }))
        }
        return result
    }

    func component(_ record: StatusComponentRecord, status: ComponentStatus, position: Int, groupID: String?)
        -> Statuspage.Component
    {
        Statuspage.Component(
            id: String(record.id), name: record.name, status: status.rawValue, createdAt: record.createdAt,
            updatedAt: record.updatedAt, position: position,
            description: record.description.isEmpty ? nil : record.description, showcase: true,
            startDate: nil, groupID: groupID, group: false, components: nil)
    }

    /// Open public incidents with their public updates, newest first.
    var statuspageIncidents: [Statuspage.Incident] {
        incidents.map { item in
            let incident = item.incident
            let id = incident.ref.description
            let statuses = Dictionary(uniqueKeysWithValues: components.map { ($0.record.id, $0.status) })
            return Statuspage.Incident(
                id: id, name: incident.title, status: incident.status.rawValue, createdAt: item.publishedAt,
                updatedAt: incident.updatedAt, monitoringAt: incident.mitigatedAt,
                resolvedAt: incident.resolvedAt,
                impact: Self.impact(incident.severity), shortlink: "/status#\(id)",
                startedAt: incident.startedAt,
                incidentUpdates: item.updates.map { entry in
                    Statuspage.IncidentUpdate(
                        id: String(entry.id),
                        status: entry.data["status"]?.stringValue ?? incident.status.rawValue,
                        body: entry.body, incidentID: id, createdAt: entry.occurredAt,
                        updatedAt: entry.occurredAt,
                        displayAt: entry.occurredAt)
                },
                components: components(of: incident).enumerated().map { index, record in
                    component(
                        record, status: statuses[record.id] ?? .operational, position: index + 1, groupID: nil
                    )
                },
                scheduledFor: nil, scheduledUntil: nil)
        }
    }

    /// Public maintenance windows active now, or upcoming within the horizon.
    func statuspageMaintenances(active: Bool?) -> [Statuspage.Incident] {
        maintenance.filter { active == nil || isActive($0) == active }.map { window in
            let covered = components(covering: window)
            let active = isActive(window)
            return Statuspage.Incident(
                id: window.ref, name: window.description, status: active ? "in_progress" : "scheduled",
                createdAt: window.createdAt,
                updatedAt: active ? max(window.createdAt, window.startsAt) : window.createdAt,
                monitoringAt: nil, resolvedAt: nil,
                impact: "maintenance", shortlink: "/status#\(window.ref)", startedAt: window.startsAt,
                incidentUpdates: [],
                components: covered.enumerated().map { index, entry in
                    component(entry.record, status: entry.status, position: index + 1, groupID: nil)
                },
                scheduledFor: window.startsAt, scheduledUntil: window.endsAt)
        }
    }

    /// Statuspage's incident impact for a severity.
    static func impact(_ severity: IncidentSeverity) -> String {
        switch severity {
        case .sev1: "critical"
        case .sev2: "major"
        case .sev3, .sev4: "minor"
        }
    }
}
