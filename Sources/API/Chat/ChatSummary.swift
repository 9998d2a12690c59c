import Domain
import Repositories

/// How incidents and alerts read in chat: one line for lists and action replies, a few lines
/// for `status`.
enum ChatSummary {
    /// `INC-42 SEV1 · investigating — Checkout is down`
    static func line(_ incident: Incident) -> ChatText {
        "\(strong: incident.ref) \(state(incident))"
    }

    /// `SEV1 · investigating — Checkout is down`: the line under an action's reply.
    static func state(_ incident: Incident) -> ChatText {
        "\(incident.severity.rawValue) · \(incident.status.rawValue) — \(incident.title)"
    }

    /// `warning · acknowledged — Disk full on db-1 (database)`
    static func state(_ alert: AlertRecord) -> ChatText {
        "\(alert.severity.rawValue) · \(alert.status.rawValue) — \(alert.summary) (\(alert.service))"
    }

    /// `3 alerts`, `1 alert`.
    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    /// `ALR-7 critical · triggered — Disk full on db-1 (database)`
    static func line(_ alert: AlertRecord) -> ChatText {
        "\(strong: alert.alert.ref) \(state(alert))"
    }

    /// The `status` answer for an incident: what it is, who acknowledged it or when that is
    /// due (SPEC §3 SLA), who leads, where to talk.
    static func detail(_ detail: IncidentDetail) -> ChatText {
        let incident = detail.incident
        var lines: [ChatText] = [line(incident)]
        if let resolvedAt = incident.resolvedAt {
            var resolved: ChatText = "Resolved \(time: resolvedAt)"
            if let by = incident.resolvedBy { resolved.append(" by \(by)") }
            if let resolution = incident.resolution { resolved.append(": \(resolution)") }
            lines.append(resolved)
        } else if let acknowledgedAt = incident.acknowledgedAt {
            lines.append("Acknowledged \(time: acknowledgedAt) by \(incident.acknowledgedBy ?? "someone")")
        } else {
            lines.append("Not acknowledged; due \(time: incident.ackDueAt)")
        }
        if incident.slaBreached { lines.append("Response SLA breached") }
        var facts: [ChatText] = []
        facts.append("Commander: \(incident.commander ?? "none")")
        if !incident.services.isEmpty {
            facts.append("Services: \(incident.services.joined(separator: ", "))")
        }
        facts.append("Channel: \(incident.channel)")
        facts.append("Alerts: \(detail.alertCount)")
        lines.append(joined(facts, separator: " · "))
        if let summary = incident.summary { lines.append("\(summary)") }
        if let update = detail.latestStatusUpdate {
            lines.append("Latest update \(time: update.occurredAt) by \(update.actor): \(update.body)")
        }
        return ChatText.lines(lines)
    }

    /// The `status` answer for an alert.
    static func detail(_ alert: AlertRecord) -> ChatText {
        var lines: [ChatText] = [line(alert)]
        if let resolvedAt = alert.resolvedAt {
            var resolved: ChatText = "Resolved \(time: resolvedAt)"
            if let by = alert.resolvedBy { resolved.append(" by \(by)") }
            if let resolution = alert.resolution { resolved.append(": \(resolution)") }
            lines.append(resolved)
        } else if let acknowledgedAt = alert.acknowledgedAt {
            lines.append("Acknowledged \(time: acknowledgedAt) by \(alert.acknowledgedBy ?? "someone")")
        }
        var facts: [ChatText] = ["Source: \(alert.source)", "Events: \(alert.eventCount)"]
        facts.append("First seen \(time: alert.firstSeenAt)")
        if let incidentID = alert.incidentID {
            facts.append("Incident: \(strong: EntityRef.incident(incidentID))")
        }
        lines.append(joined(facts, separator: " · "))
        return ChatText.lines(lines)
    }

    /// The `open` answer: `incidents` in the order given, and a pointer to the full list when
    /// more are open than shown.
    static func openList(_ incidents: [Incident], more: Bool) -> ChatText {
        guard !incidents.isEmpty else { return "No open incidents." }
        let heading: ChatText =
            more
            ? "The \(incidents.count) most severe open incidents (more are open: GET /api/v1/incidents?status=open):"
            : "\(count(incidents.count, "open incident")), most severe first:"
        var lines = [heading]
        for incident in incidents {
            var item: ChatText = "• \(line(incident))"
            if incident.acknowledgedAt == nil { item.append(" (not acknowledged)") }
            lines.append(item)
        }
        return ChatText.lines(lines)
    }

    /// `parts` with `separator` between them.
    static func joined(_ parts: [ChatText], separator: String) -> ChatText {
        var result = ChatText()
        for (index, part) in parts.enumerated() {
            if index > 0 { result.append("\(separator)") }
            result.append(part)
        }
        return result
    }
}
