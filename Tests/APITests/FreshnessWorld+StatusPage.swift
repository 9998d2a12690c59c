import Foundation
import HTTPServer

@testable import API

/// The status page (issue 19) in ``FreshnessWorld``: two components over the world's services,
/// one to delete, and the spare incident (never resolved there) made public, so writes to
/// components, incidents and services all show on the public routes.
extension FreshnessWorld {
    struct StatusPage {
        let component: Int
        let retiring: Int
        let incident: Int
    }

    static func makeStatusPage(_ app: InProcessApp, incident: Int) throws -> StatusPage {
        let component = try app.created(
            app.admin(
                .post, "/api/v1/status/components", json: #"{"name":"Checkout","services":["checkout"]}"#),
            "status component")
        let retiring = try app.created(
            app.admin(
                .post, "/api/v1/status/components", json: #"{"name":"Payments","services":["payments"]}"#),
            "status component")
        let published = app.admin(.patch, "/api/v1/incidents/\(incident)", json: #"{"public":true}"#)
        guard published.status == 200 else {
            throw InProcessApp.SetupFailure("publish: \(published.status) \(published.bodyText)")
        }
        return StatusPage(component: component, retiring: retiring, incident: incident)
    }

    static func statusPageReads(_ page: StatusPage, now: Date) -> [String] {
        let window = "from=\(RFC3339.format(now.addingTimeInterval(-86400)))&to=\(RFC3339.format(now))"
        return [
            "/api/v1/status/components", "/api/v1/status/components/\(page.component)",
            "/api/v1/status/components/\(page.component)/uptime?\(window)",
            "/status", "/status/api/v2/summary.json", "/status/api/v2/status.json",
            "/status/api/v2/components.json",
            "/status/api/v2/incidents/unresolved.json", "/status/api/v2/scheduled-maintenances/upcoming.json",
            "/status/api/v2/scheduled-maintenances/active.json",
        ]
    }

    static func statusPageWrites(_ page: StatusPage) -> [FreshnessWrite] {
        let component = "/api/v1/status/components/\(page.component)"
        let updates = "/api/v1/incidents/\(page.incident)/status-updates"
        return [
            FreshnessWrite(
                label: "status component created", method: .post, target: "/api/v1/status/components",
                json: #"{"name":"Search","services":["checkout"],"group":"Core"}"#),
            FreshnessWrite(
                label: "status component renamed", method: .patch, target: component,
                json: #"{"name":"Checkout API","description":"Cart and payment"}"#),
            FreshnessWrite(
                label: "status component overridden", method: .patch, target: component,
                json: #"{"status":"major_outage"}"#),
            FreshnessWrite(
                label: "status component override cleared", method: .patch, target: component,
                json: #"{"status":null}"#),
            FreshnessWrite(
                label: "public status update", method: .post, target: updates,
                json: #"{"status":"identified","body":"Cause found","public":true}"#),
            FreshnessWrite(
                label: "internal status update", method: .post, target: updates,
                json: #"{"status":"monitoring","body":"Watching the graphs"}"#),
            FreshnessWrite(
                label: "status component deleted", method: .delete,
                target: "/api/v1/status/components/\(page.retiring)"),
        ]
    }
}
