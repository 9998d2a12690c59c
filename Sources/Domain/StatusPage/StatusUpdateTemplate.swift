import Foundation

/// The seeds' two communication templates (seed 003, "Incident Communication"), filled from
/// an incident and one status update (SPEC §13 `rendered`).
///
/// Internal (Slack `#incidents`):
/// ```
/// @channel - SEV-[1-4] Incident
/// Status: [Investigating/Mitigating/Monitoring/Resolved]
/// Impact: [Description]
/// Lead: @[username]
/// Duration: [XX minutes]
/// Next Update: [Time]
/// ```
/// Status page (public):
/// ```
/// [Service] Experiencing Issues
/// We're investigating reports of [issue description].
/// Impact: [Percentage] of users may experience [symptoms]
/// Next update in [30] minutes
/// ```
/// The update's body is the description line of the public template and follows the internal
/// one after a blank line.
public enum StatusUpdateTemplate {
    /// The internal template for `incident` at `now`.
    public static func internalText(
        incident: Incident, status: IncidentStatus, body: String, nextUpdateMinutes: Double, now: Date
    ) -> String {
        let minutes = max(0, Int(now.timeIntervalSince(incident.startedAt) / 60))
        let next = now.addingTimeInterval(nextUpdateMinutes * 60)
        var lines = [
            "@channel - SEV-\(incident.severity.level) Incident",
            "Status: \(status.rawValue.capitalized)",
            "Impact: \(incident.impact ?? "Not yet assessed")",
            "Lead: \(incident.commander.map { "@\($0)" } ?? "unassigned")",
            "Duration: \(minutes) minutes",
        ]
        lines.append(status == .resolved ? "Next Update: none (resolved)" : "Next Update: \(clock(next))")
        return lines.joined(separator: "\n") + "\n\n" + body
    }

    /// The status-page template for `incident`.
    public static func publicText(
        incident: Incident, status: IncidentStatus, body: String, nextUpdateMinutes: Double
    ) -> String {
        let service = incident.services.isEmpty ? "Our service" : incident.services.joined(separator: ", ")
        var lines = [
            status == .resolved ? "\(service) Issues Resolved" : "\(service) Experiencing Issues",
            body,
        ]
        if let impact = incident.impact { lines.append("Impact: \(impact)") }
        if status != .resolved { lines.append("Next update in \(minutesText(nextUpdateMinutes)) minutes") }
        return lines.joined(separator: "\n")
    }

    /// `30` for whole minutes, else the fraction as given (`0.05`).
    static func minutesText(_ minutes: Double) -> String {
        minutes == minutes.rounded() && minutes < 1e9 ? String(Int(minutes)) : String(minutes)
    }

    /// `HH:mm UTC`.
    static func clock(_ date: Date) -> String {
        UTCCalendar.hourMinute(date) + " UTC"
    }
}
