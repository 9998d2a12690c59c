import Domain
import Foundation
import Testing

@testable import API

/// `IncidentDTO` is declared once (``JSONObjectShape``) and printed two ways: the byte writer's
/// incident list must equal the encoder's for the same page, whatever the strings and dates.
@Suite struct IncidentJSONShapeTests {
    static let policy = SLAPolicy.standard

    /// The byte writer's answer: what the dashboards' poll sends.
    static func written(_ incidents: [Incident], cursor: String?, now: Date) throws -> [UInt8] {
        try JSONShapeWriter.page(
            incidents.map { IncidentDTO($0, now: now, policy: policy) }, nextCursor: cursor)
    }

    /// The encoder's answer for the same page.
    static func encoded(_ incidents: [Incident], cursor: String?, now: Date) throws -> [UInt8] {
        let page = ListPage(
            items: incidents.map { IncidentDTO($0, now: now, policy: policy) }, nextCursor: cursor)
        return Array(try APIJSON.encoder().encode(page))
    }

    static func incident(id: Int64, text: String, base: Date, resolved: Bool) -> Incident {
        Incident(
            id: id, title: "Title \(text)", severity: .sev2, status: resolved ? .resolved : .identified,
            summary: resolved ? nil : "Summary \(text)", impact: text, commander: resolved ? "carol" : nil,
            services: ["api", "db-\(id)"], channel: "#incident-2024-11-20-x",
            startedAt: base.addingTimeInterval(-0.000_000_4), detectedAt: base,
            acknowledgedAt: base.addingTimeInterval(61.5),
            acknowledgedBy: text, mitigatedAt: resolved ? base.addingTimeInterval(0.123_456_7) : nil,
            resolvedAt: resolved ? base.addingTimeInterval(3600) : nil, resolvedBy: resolved ? "bob" : nil,
            resolution: resolved ? "Fixed \"it\"" : nil, ackDueAt: base.addingTimeInterval(1800),
            slaBreached: id % 2 == 0, createdAt: base, updatedAt: base.addingTimeInterval(0.999_999_6))
    }

    @Test func bytesEqualTheEncodersForEveryControlCharacterAndAssortedText() throws {
        let base = Date(timeIntervalSince1970: 1_732_097_600.25)
        var texts = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        texts += ["", "slash / back \\ quote \"", "Café ☕️ 事故 👩‍🚒", "\u{2028}\u{2029}\u{FEFF}", "a\u{7F}b"]
        let incidents = texts.enumerated().map { index, text in
            Self.incident(
                id: Int64(index + 1), text: text, base: base.addingTimeInterval(Double(index) * 86_399.9),
                resolved: index % 3 == 0)
        }
        let now = base.addingTimeInterval(900)
        for cursor in [nil, "aW5jaWRlbnRzOjQy"] {
            let written = try Self.written(incidents, cursor: cursor, now: now)
            let expected = try Self.encoded(incidents, cursor: cursor, now: now)
            #expect(written == expected)
            if written != expected {
                let index = zip(written, expected).prefix { $0 == $1 }.count
                let start = max(0, index - 80)
                Issue.record(
                    "first difference at byte \(index): \(String(decoding: written[start..<min(written.count, index + 40)], as: UTF8.self)) vs \(String(decoding: expected[start..<min(expected.count, index + 40)], as: UTF8.self))"
                )
            }
        }
    }

    @Test func emptyPageAndDatesAcrossYearsMatch() throws {
        #expect(
            try Self.written([], cursor: nil, now: Date())
                == Array(#"{"items":[],"next_cursor":null}"#.utf8))
        var incidents: [Incident] = []
        for (index, seconds) in [
            0.0, 1e-7, -1.5, -86_400.25, 951_782_400.5, 1_709_164_800.000_001, 4_102_444_799.999_999,
        ]
        .enumerated() {
            incidents.append(
                Self.incident(
                    id: Int64(index + 1), text: "t", base: Date(timeIntervalSince1970: seconds),
                    resolved: true))
        }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(
            try Self.written(incidents, cursor: nil, now: now)
                == (try Self.encoded(incidents, cursor: nil, now: now)))
    }
}
