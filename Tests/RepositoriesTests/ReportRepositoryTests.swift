import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// Issue 7: the incident metrics report's SQL, at its edges: window boundaries, weeks without
/// incidents, the empty window, and post-mortem due dates under the configured policy.
@Suite struct ReportRepositoryTests {
    /// 2024-12-02T00:00:00Z (a Monday) plus `hours`.
    static func monday(hours: Double) -> Date { Date(timeIntervalSince1970: 1_733_097_600 + hours * 3600) }

    static func insert(
        _ connection: PostgresConnection, _ severity: String, detected: Date,
        detectToAck: TimeInterval? = nil,
        resolvedAfter: TimeInterval? = nil, postMortem: String? = nil
    ) throws {
        let resolved = resolvedAfter.map { detected.addingTimeInterval($0) }
        let id: Int64 = try connection.query(
            """
            INSERT INTO incidents (title, severity, status, channel, started_at, detected_at, acknowledged_at,
                                   resolved_at, ack_due_at)
            VALUES ('fixture', \(severity), \(resolved == nil ? "investigating" : "resolved"), '#incident-fixture',
                    \(detected.addingTimeInterval(-60)), \(detected), \(detectToAck.map { detected.addingTimeInterval($0) }),
                    \(resolved), \(detected))
            RETURNING id
            """)[0].decode("id")
        if let postMortem {
            try connection.execute(
                """
                INSERT INTO postmortems (incident_id, status, incident_date, severity, published_at)
                VALUES (\(id), \(postMortem), '2024-12-02', \(severity),
                        \(postMortem == "published" ? Optional(detected) : nil))
                """)
        }
    }

    @Test func windowIncludesFromExcludesToAndListsEmptyWeeks() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let from = Self.monday(hours: 0)
        let to = Self.monday(hours: 21 * 24)  // three weeks later
        let report = try pool.withConnection { c in
            try Self.insert(c, "SEV2", detected: from, detectToAck: 60)
            try Self.insert(c, "SEV2", detected: Self.monday(hours: 14 * 24 + 5), detectToAck: 180)
            try Self.insert(c, "SEV2", detected: to, detectToAck: 999)
            try Self.insert(c, "SEV2", detected: from.addingTimeInterval(-1), detectToAck: 999)
            return try ReportRepository(c).incidentMetrics(
                .init(from: from, to: to), policy: .standard, now: Self.monday(hours: 1000))
        }
        #expect(report.overall.incidents == 2)
        #expect(report.overall.timeToAcknowledge.mean == 120)
        #expect(report.overall.timeToDetect.p50 == 60)
        #expect(report.overall.timeToResolve.count == 0)
        #expect(report.overall.timeToResolve.mean == nil)
        #expect(report.perWeek.map(\.start.description) == ["2024-12-02", "2024-12-09", "2024-12-16"])
        #expect(report.perWeek.map(\.incidents) == [1, 0, 1])
        #expect(report.bySeverity[.sev2]?.incidents == 2)
        #expect(report.bySeverity[.sev1] == .empty)
    }

    @Test func emptyWindowStillHasATotalRow() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let report = try pool.withConnection { c in
            try ReportRepository(c).incidentMetrics(
                .init(from: Self.monday(hours: 0), to: Self.monday(hours: 1), severities: [.sev1]),
                policy: .standard,
                now: Self.monday(hours: 2))
        }
        #expect(report.overall == .empty)
        #expect(report.perWeek.map(\.incidents) == [0])
        #expect(report.completion.due == 0)
        #expect(report.completion.ratio == nil)
    }

    @Test func completionFollowsTheConfiguredDueWindowAndSeverities() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let pool = database.makePool(maxConnections: 2)
        defer { pool.close() }
        let window = ReportRepository.Window(from: Self.monday(hours: 0), to: Self.monday(hours: 24))
        let hour: TimeInterval = 3600
        // All resolved one hour after detection at 01:00, so resolved at 02:00.
        try pool.withConnection { c in
            try Self.insert(
                c, "SEV1", detected: Self.monday(hours: 1), resolvedAfter: hour, postMortem: "draft")
            try Self.insert(c, "SEV2", detected: Self.monday(hours: 1), resolvedAfter: hour)
            try Self.insert(c, "SEV3", detected: Self.monday(hours: 1), resolvedAfter: hour)
            try Self.insert(c, "SEV2", detected: Self.monday(hours: 1), postMortem: "published")
            try Self.insert(
                c, "SEV2", detected: Self.monday(hours: 1), resolvedAfter: hour, postMortem: "published")
        }
        func completion(_ policy: SLAPolicy, nowHours: Double) throws -> ReportRepository.Completion {
            try pool.withConnection {
                try ReportRepository($0).incidentMetrics(
                    window, policy: policy, now: Self.monday(hours: nowHours)
                )
                .completion
            }
        }
        // Standard: due 48 h after resolution (02:00 + 48 h = 50 h). Published ones count at once;
        // the open incident with a published write-up is not resolved, so it never counts.
        #expect(try completion(.standard, nowHours: 49.9) == .init(due: 1, published: 1))
        // Exactly at the deadline the post-mortem is due.
        #expect(try completion(.standard, nowHours: 50) == .init(due: 3, published: 1))
        // A 1 h window that also covers SEV3.
        let strict = SLAPolicy(postMortemWindow: hour, postMortemSeverities: [.sev1, .sev2, .sev3])
        #expect(try completion(strict, nowHours: 3) == .init(due: 4, published: 1))
    }
}
