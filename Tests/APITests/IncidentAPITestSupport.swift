import Foundation
import TestSupport

/// Helpers the incident API tests share.
extension TestApp {
    /// Creates service `name` as admin (ignoring "already exists").
    func makeService(_ name: String, criticalSeverity: String = "SEV2") throws {
        let response = try admin(
            "POST", "/api/v1/services",
            json: #"{"name":"\#(name)","critical_alert_incident_severity":"\#(criticalSeverity)"}"#)
        guard response.status == 201 || response.status == 409 else {
            throw IncidentTestError.setup(response.bodyText)
        }
    }

    /// `POST /api/v1/incidents` as admin; returns the created incident, parsed.
    func declareIncident(_ json: String) throws -> [String: Any] {
        let response = try admin("POST", "/api/v1/incidents", json: json)
        guard response.status == 201 else { throw IncidentTestError.setup(response.bodyText) }
        return response.json
    }

    /// The incident's timeline entries (one page of up to 500), parsed.
    func incidentTimeline(_ id: Any) throws -> [[String: Any]] {
        try admin("GET", "/api/v1/incidents/\(id)/timeline?limit=500").json["items"] as? [[String: Any]] ?? []
    }

    /// The `kind` of each entry of the incident's timeline, in order.
    func incidentTimelineKinds(_ id: Any) throws -> [String] {
        try incidentTimeline(id).compactMap { $0["kind"] as? String }
    }
}

/// A setup step of an incident test failed; the text is the server's answer.
enum IncidentTestError: Error {
    case setup(String)
}
