import App
import Foundation
import TestSupport
import Testing

extension TestApp {
    /// A new contact method of person `user` (`{kind, to|url}`); returns its id.
    @discardableResult
    func makeContactMethod(_ user: Int64, _ body: [String: Any]) throws -> Int64 {
        let response = try admin("POST", "/api/v1/users/\(user)/contact-methods", json: jsonText(body))
        guard response.status == 201, let id = (response.json["id"] as? NSNumber)?.int64Value else {
            throw ScheduleTestFailure(message: "contact method: \(response.status) \(response.bodyText)")
        }
        return id
    }

    /// A new escalation policy; returns its id.
    func makePolicy(_ body: [String: Any]) throws -> Int64 {
        let response = try admin("POST", "/api/v1/escalation-policies", json: jsonText(body))
        guard response.status == 201, let id = (response.json["id"] as? NSNumber)?.int64Value else {
            throw ScheduleTestFailure(message: "policy: \(response.status) \(response.bodyText)")
        }
        return id
    }

    /// A new service with escalation policy `policy`.
    func makeService(_ name: String, policy: Int64?) throws {
        var body: [String: Any] = ["name": name]
        if let policy { body["escalation_policy"] = policy }
        let response = try admin("POST", "/api/v1/services", json: jsonText(body))
        guard response.status == 201 else {
            throw ScheduleTestFailure(message: "service: \(response.status) \(response.bodyText)")
        }
    }

    /// Declares an incident; returns its id.
    func declare(_ title: String, severity: String, services: [String]) throws -> Int64 {
        let response = try admin(
            "POST", "/api/v1/incidents",
            json: jsonText(["title": title, "severity": severity, "services": services]))
        guard response.status == 201, let id = (response.json["id"] as? NSNumber)?.int64Value else {
            throw ScheduleTestFailure(message: "incident: \(response.status) \(response.bodyText)")
        }
        return id
    }

    /// One escalation worker pass, as a process's worker runs it.
    @discardableResult
    func escalationPass() throws -> Int {
        try EscalationWorker(pool: pool, conninfo: database.conninfo, clock: environment.clock).runOnce()
            .fired
            .count
    }
}

/// A step of a policy body.
func step(_ delay: Int, _ targets: [(String, Int64)]) -> [String: Any] {
    ["delay_seconds": delay, "targets": targets.map { ["type": $0.0, "id": $0.1] }]
}
