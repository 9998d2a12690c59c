import API
import Foundation
import Postgres
import Testing

/// Issue 7: `GET /reports/incident-metrics` on incidents with known timestamps returns the
/// exact MTTD, MTTA, MTTR (mean, p50, p90), counts, SLA breaches and post-mortem completion.
@Suite struct ReportAPITests {
    /// The API's clock: 2024-12-20T00:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_734_652_800)
    static let window = "from=2024-12-02&to=2024-12-16"

    /// Seconds after 2024-12-02T00:00:00Z.
    static func at(day: Int, _ hour: Int, _ minute: Int) -> Date {
        let seconds: Int = (day - 2) * 86400 + hour * 3600 + minute * 60
        return Date(timeIntervalSince1970: 1_733_097_600 + Double(seconds))
    }

    /// Inserts an incident row as the SLA job and workflow would have left it.
    static func insert(
        _ connection: PostgresConnection, _ severity: String, started: Date, detected: Date,
        acknowledged: Date?,
        resolved: Date?, breached: Bool = false, postMortem: String? = nil
    ) throws {
        let rows = try connection.query(
            """
            INSERT INTO incidents (title, severity, status, channel, started_at, detected_at, acknowledged_at,
                                   resolved_at, ack_due_at, sla_breached)
            VALUES ('fixture', \(severity), \(resolved == nil ? "investigating" : "resolved"), '#incident-fixture',
                    \(started), \(detected), \(acknowledged), \(resolved), \(detected), \(breached))
            RETURNING id
            """)
        guard let postMortem else { return }
        let id: Int64 = try rows[0].decode("id")
        try connection.execute(
            """
            INSERT INTO postmortems (incident_id, status, incident_date, severity, published_at)
            VALUES (\(id), \(postMortem), '2024-12-02', \(severity),
                    \(postMortem == "published" ? Optional(now) : nil))
            """)
    }

    /// The fixture of the expected values below (durations in seconds):
    ///
    /// | | sev | detect | ack | resolve | notes |
    /// |---|---|---|---|---|---|
    /// | A | SEV1 | 120 | 300 | 1800 | post-mortem published |
    /// | B | SEV1 | 600 | 1200 | 7200 | SLA breached, post-mortem draft (late) |
    /// | C | SEV2 | 0 | 240 | 2640 | no post-mortem (late) |
    /// | D | SEV3 | 300 | – | 3600 | never acknowledged |
    /// | E | SEV4 | 0 | 600 | – | still open |
    /// | H | SEV2 | 600 | 300 | 352800 | resolved 2024-12-19, post-mortem not due yet |
    ///
    /// plus two incidents outside `[2024-12-02, 2024-12-16)` that must not count.
    static func insertFixture(_ app: TestApp) throws {
        try app.pool.withConnection { c in
            try insert(
                c, "SEV1", started: at(day: 2, 10, 0), detected: at(day: 2, 10, 2),
                acknowledged: at(day: 2, 10, 7), resolved: at(day: 2, 10, 32), postMortem: "published")
            try insert(
                c, "SEV1", started: at(day: 2, 11, 0), detected: at(day: 2, 11, 10),
                acknowledged: at(day: 2, 11, 30), resolved: at(day: 2, 13, 10), breached: true,
                postMortem: "draft")
            try insert(
                c, "SEV2", started: at(day: 10, 9, 0), detected: at(day: 10, 9, 0),
                acknowledged: at(day: 10, 9, 4), resolved: at(day: 10, 9, 44))
            try insert(
                c, "SEV3", started: at(day: 11, 8, 0), detected: at(day: 11, 8, 5),
                acknowledged: nil, resolved: at(day: 11, 9, 5))
            try insert(
                c, "SEV4", started: at(day: 12, 12, 0), detected: at(day: 12, 12, 0),
                acknowledged: at(day: 12, 12, 10), resolved: nil)
            try insert(
                c, "SEV2", started: at(day: 15, 9, 50), detected: at(day: 15, 10, 0),
                acknowledged: at(day: 15, 10, 5), resolved: at(day: 19, 12, 0))
            // Outside the window: detected exactly at `to`, and before `from`.
            try insert(
                c, "SEV1", started: at(day: 16, 0, 0), detected: at(day: 16, 0, 0),
                acknowledged: nil, resolved: nil, breached: true)
            try insert(
                c, "SEV1", started: at(day: 1, 23, 0), detected: at(day: 1, 23, 59),
                acknowledged: nil, resolved: at(day: 2, 1, 0))
        }
    }

    /// `actual` equals `expected` within floating-point noise (percentile interpolation).
    static func close(_ actual: Any?, _ expected: Double) -> Bool {
        guard let value = (actual as? NSNumber)?.doubleValue else { return false }
        return abs(value - expected) < 1e-6
    }

    static func expectDurations(
        _ object: Any?, count: Int, mean: Double, p50: Double, p90: Double, target: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let durations = object as? [String: Any] ?? [:]
        #expect(durations["count"] as? Int == count, sourceLocation: sourceLocation)
        #expect(close(durations["mean_seconds"], mean), "mean \(durations)", sourceLocation: sourceLocation)
        #expect(close(durations["p50_seconds"], p50), "p50 \(durations)", sourceLocation: sourceLocation)
        #expect(close(durations["p90_seconds"], p90), "p90 \(durations)", sourceLocation: sourceLocation)
        #expect(close(durations["target_seconds"], target), sourceLocation: sourceLocation)
    }

    @Test func reportOnTheFixtureHasTheExactFigures() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        try Self.insertFixture(app)
        let response = try app.request(
            "GET", "/api/v1/reports/incident-metrics?\(Self.window)", key: try app.makeKey(role: .viewer))
        #expect(response.status == 200, "\(response.bodyText)")
        let report = response.json
        #expect(report["incidents"] as? Int == 6)
        // MTTD over 120, 600, 0, 300, 0, 600; MTTA over 300, 1200, 240, 600, 300; MTTR over
        // 1800, 7200, 2640, 3600, 352800 (percentile_cont interpolates between neighbours).
        Self.expectDurations(report["mttd"], count: 6, mean: 270, p50: 210, p90: 600, target: 300)
        Self.expectDurations(report["mtta"], count: 5, mean: 528, p50: 300, p90: 960, target: 900)
        Self.expectDurations(report["mttr"], count: 5, mean: 73608, p50: 3600, p90: 214_560, target: 3600)
        #expect((report["mttd"] as? [String: Any])?["meets_target"] as? Bool == true)
        #expect((report["mttr"] as? [String: Any])?["meets_target"] as? Bool == false)
        #expect(report["sla_breaches"] as? Int == 1)

        let bySeverity = report["by_severity"] as? [[String: Any]] ?? []
        #expect(bySeverity.map { $0["severity"] as? String } == ["SEV1", "SEV2", "SEV3", "SEV4"])
        #expect(bySeverity.map { $0["incidents"] as? Int } == [2, 2, 1, 1])
        Self.expectDurations(bySeverity.first?["mtta"], count: 2, mean: 750, p50: 750, p90: 1110, target: 900)
        #expect(bySeverity.first?["sla_breaches"] as? Int == 1)
        #expect((bySeverity.last?["mttr"] as? [String: Any])?["mean_seconds"] is NSNull)

        let weeks = report["per_week"] as? [[String: Any]] ?? []
        #expect(weeks.map { $0["week_start"] as? String } == ["2024-12-02", "2024-12-09"])
        #expect(weeks.map { $0["incidents"] as? Int } == [2, 4])
        #expect(Self.close((report["incident_rate"] as? [String: Any])?["per_week"], 3))

        // A (published), B (draft, late) and C (none, late) are due; H is within its 48 h.
        let completion = report["postmortem_completion"] as? [String: Any] ?? [:]
        #expect(completion["due"] as? Int == 3)
        #expect(completion["published"] as? Int == 1)
        #expect(Self.close(completion["ratio"], 1.0 / 3))
        #expect(completion["meets_target"] as? Bool == false)
        #expect(completion["severities"] as? [String] == ["SEV1", "SEV2"])
    }

    @Test func severityFilterNarrowsEveryFigure() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        try Self.insertFixture(app)
        let response = try app.admin("GET", "/api/v1/reports/incident-metrics?\(Self.window)&severity=P1")
        #expect(response.status == 200, "\(response.bodyText)")
        let report = response.json
        #expect(report["severities"] as? [String] == ["SEV1"])
        #expect(report["incidents"] as? Int == 2)
        Self.expectDurations(report["mttd"], count: 2, mean: 360, p50: 360, p90: 552, target: 300)
        #expect((report["by_severity"] as? [[String: Any]])?.count == 1)
        let completion = report["postmortem_completion"] as? [String: Any] ?? [:]
        #expect(completion["due"] as? Int == 2)
        #expect(completion["published"] as? Int == 1)
    }

    @Test func emptyWindowAndBadParameters() throws {
        let app = try TestApp(clock: { Self.now })
        defer { app.stop() }
        let empty = try app.admin("GET", "/api/v1/reports/incident-metrics")
        #expect(empty.status == 200, "\(empty.bodyText)")
        #expect(empty.json["incidents"] as? Int == 0)
        #expect((empty.json["mttr"] as? [String: Any])?["mean_seconds"] is NSNull)
        #expect((empty.json["mttr"] as? [String: Any])?["meets_target"] is NSNull)
        #expect((empty.json["postmortem_completion"] as? [String: Any])?["ratio"] is NSNull)
        // Default window: the 30 days before now, touching 5 ISO weeks here.
        #expect(empty.json["from"] as? String == RFC3339.format(Self.now.addingTimeInterval(-30 * 86400)))
        #expect((empty.json["per_week"] as? [Any])?.count == 5)

        let bad = try app.admin(
            "GET", "/api/v1/reports/incident-metrics?from=yesterday&to=2024-13-01&severity=SEV9")
        #expect(bad.status == 422)
        #expect(Set(bad.errorFields) == ["from", "to", "severity"])
        let reversed = try app.admin("GET", "/api/v1/reports/incident-metrics?from=2024-12-16&to=2024-12-02")
        #expect(reversed.status == 422)
        #expect(reversed.errorFields == ["from"])
        #expect(
            try app.admin("GET", "/api/v1/reports/incident-metrics?from=2010-01-01").errorFields == ["from"])
        #expect(try app.request("GET", "/api/v1/reports/incident-metrics", key: nil).status == 401)
    }
}
