import API
import Foundation
import TestSupport
import Testing

/// SPEC §12 with §11 (issue 17): an alert a maintenance window held back pages nobody while the
/// window lasts and pages its service's on-call within 2 s of the window's end, received by a
/// real loopback receiver; another service's alert pages at once. Two processes share the
/// database: one runs the maintenance job, the other the escalation and delivery workers.
@Suite struct MaintenanceEndPagingTests {
    @Test func anAlertHeldByAWindowPagesItsOnCallWithinTwoSecondsOfTheEndAndNobodyBefore() throws {
        let receiver = try PageReceiver()
        let pager = try EscalationServer()
        defer { pager.stop() }
        let maintenance = try MaintenanceJobServer(database: pager.database)
        defer { maintenance.stop() }
        // One step paging L1 at once; a second step an hour later that must not come.
        _ = try EscalationSetup(
            port: pager.port, key: pager.adminKey, receiver: receiver, steps: 2, delay: 3600,
            services: ["db", "web"])
        let ends = Date().addingTimeInterval(4)
        try HTTPCall.ok(
            port: maintenance.port, "POST", "/api/v1/maintenance-windows",
            json:
                #"{"description":"Failover drill","services":["db"],"starts_at":"\#(RFC3339.format(Date().addingTimeInterval(-1)))","ends_at":"\#(RFC3339.format(ends))"}"#,
            key: pager.adminKey)
        func trigger(_ service: String) throws -> [String: Any] {
            try HTTPCall.ok(
                port: pager.port, "POST", "/api/v1/alerts",
                json:
                    #"{"service":"\#(service)","source":"probe","summary":"\#(service) down","severity":"critical"}"#,
                key: pager.adminKey)
        }
        let held = try trigger("db")
        #expect(held["suppressed_by"] is String && held["incident_id"] is NSNull, "\(held)")
        let web = try trigger("web")
        let webIncident = try #require(web["incident_id"] as? Int, "service web is not in the window")

        // The other service's on-call is paged at once...
        #expect(try waitFor(5) { try receiver.pages().count == 1 })
        #expect(try receiver.pages().first?.incident == "INC-\(webIncident)")
        // ...and nobody about the held alert while the window lasts.
        while Date() < ends.addingTimeInterval(-0.3) {
            try #require(try receiver.pages().count == 1, "a page came before the window ended")
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(try waitFor(10) { try receiver.pages().count == 2 }, "no page after the window ended")
        let pages = try receiver.pages()
        let page = try #require(pages.last)
        let late = page.receivedAt - ends.timeIntervalSince1970
        #expect(late < 2, "the page came \(late) s after the window's end")
        #expect(page.incident != "INC-\(webIncident)" && page.recipient == "L1" && page.step == 1)
        let alert = try HTTPCall.ok(
            port: pager.port, "GET", "/api/v1/alerts/\(try #require(held["id"] as? Int))", key: pager.adminKey
        )
        #expect(page.incident == "INC-\(try #require(alert["incident_id"] as? Int))")
        // One page each: nothing repeated by the two processes.
        Thread.sleep(forTimeInterval: 1.5)
        #expect(try receiver.pages().count == 2)
    }
}
