import Foundation
import HTTPServer

@testable import API

/// Maintenance windows (SPEC §12) in ``FreshnessWorld``: a window in force over service `batch`
/// holding back one critical alert (so cancelling it opens an incident), and a public window
/// over `checkout` an hour ahead, on the status page until it is cancelled (SPEC §13), played
/// beside the rest.
extension FreshnessWorld {
    /// What the maintenance part of the world is made of.
    struct Maintenance {
        let window: Int
        let heldAlert: Int
        let publicWindow: Int
    }

    static func makeMaintenance(_ app: InProcessApp, now: Date) throws -> Maintenance {
        _ = try app.created(app.admin(.post, "/api/v1/services", json: #"{"name":"batch"}"#), "service")
        let window = try app.created(
            app.admin(
                .post, "/api/v1/maintenance-windows",
                json:
                    #"{"description":"Batch upgrade","services":["batch"],"starts_at":"\#(RFC3339.format(now.addingTimeInterval(-600)))","ends_at":"\#(RFC3339.format(now.addingTimeInterval(3600)))"}"#
            ), "maintenance window")
        let held = try app.created(
            app.admin(
                .post, "/api/v1/alerts",
                json: PipelineInProcessTests.alert("batch-down", severity: "critical", service: "batch")),
            "held-back alert")
        let publicWindow = try app.created(
            app.admin(
                .post, "/api/v1/maintenance-windows",
                json:
                    #"{"description":"Checkout database upgrade","services":["checkout"],"public":true,"starts_at":"\#(RFC3339.format(now.addingTimeInterval(3600)))","ends_at":"\#(RFC3339.format(now.addingTimeInterval(7200)))"}"#
            ), "public maintenance window")
        return Maintenance(window: window, heldAlert: held, publicWindow: publicWindow)
    }

    static func maintenanceReads(_ maintenance: Maintenance) -> [String] {
        [
            "/api/v1/maintenance-windows", "/api/v1/maintenance-windows?state=active",
            "/api/v1/maintenance-windows/MW-\(maintenance.window)", "/api/v1/alerts/\(maintenance.heldAlert)",
        ]
    }

    static func maintenanceWrites(_ maintenance: Maintenance, now: Date) -> [FreshnessWrite] {
        let sunday =
            #"{"description":"Weekly maintenance","services":["batch"],"rrule":"FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0","time_zone":"UTC","duration_seconds":7200}"#
        let announced =
            #"{"description":"Payments failover test","services":["payments"],"public":true,"starts_at":"\#(RFC3339.format(now.addingTimeInterval(86_400)))","ends_at":"\#(RFC3339.format(now.addingTimeInterval(90_000)))"}"#
        return [
            FreshnessWrite(
                label: "maintenance window planned", method: .post, target: "/api/v1/maintenance-windows",
                json: sunday),
            // On the status page: its scheduled maintenance (ADR 0006, the handler reports it).
            FreshnessWrite(
                label: "public maintenance window planned", method: .post,
                target: "/api/v1/maintenance-windows", json: announced, mayAlsoChange: .services),
            FreshnessWrite(
                label: "public maintenance window cancelled", method: .delete,
                target: "/api/v1/maintenance-windows/MW-\(maintenance.publicWindow)"),
            FreshnessWrite(
                label: "maintenance window in force cancelled (its alert opens an incident)", method: .delete,
                target: "/api/v1/maintenance-windows/MW-\(maintenance.window)"),
        ]
    }
}
