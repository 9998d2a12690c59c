import Domain
import Foundation
import Log
import Repositories
import Testing

@testable import API

/// `AlertDTO` is declared once (``JSONObjectShape``) and printed two ways: the byte writer copies
/// the stored jsonb text through, so its answer must decode to the same JSON value as the
/// encoder's; without stored text both print the same bytes.
@Suite struct AlertJSONShapeTests {
    /// Both answers as generic JSON values (jsonb's spacing and key order differ from the encoder's).
    static func decoded(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    static func record(text: String, base: Date, open: Bool) -> AlertRecord {
        let alert = Alert(
            id: 42, service: "pay\(text)", source: "db-1 \(text)", summary: "Disk \"91%\"\n\(text)",
            severity: .critical, status: open ? .triggered : .resolved, dedupKey: "key/\(text)",
            eventCount: 7,
            details: [
                "disk": .string("/var \(text)"), "n": .integer(3), "ratio": .number(0.5), "ok": .bool(true),
                "nested": .object(["list": .array([.null, .string("\u{1}")])]),
            ],
            links: [AlertLink(href: "https://grafana.example/d/\(text)", text: "Dash")],
            firstSeenAt: base, lastSeenAt: base.addingTimeInterval(0.123_456_7),
            acknowledgedAt: open ? nil : base.addingTimeInterval(61.5), acknowledgedBy: open ? nil : text,
            resolvedAt: open ? nil : base.addingTimeInterval(3600), resolvedBy: open ? nil : "bob",
            resolution: open ? nil : "Fixed \(text)", incidentID: open ? nil : 9,
            updatedAt: base.addingTimeInterval(0.999_999_6), suppressedBy: open ? 3 : nil)
        var record = AlertRecord(alert: alert, serviceID: 5)
        // As PostgreSQL prints jsonb: its own key order and spacing, strings escaped.
        func quoted(_ string: String) -> String {
            var bytes: [UInt8] = []
            JSONBytes.appendString(string, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
        record.storedJSON = AlertRecord.StoredJSON(
            details: #"{"n": 3, "ok": true, "disk": "# + quoted("/var \(text)")
                + #", "ratio": 0.5, "nested": {"list": [null, "\u0001"]}}"#,
            links: #"[{"href": "# + quoted("https://grafana.example/d/\(text)") + #", "text": "Dash"}]"#)
        return record
    }

    @Test func answerDecodesLikeTheEncodersForOpenAndResolvedAlerts() throws {
        let base = Date(timeIntervalSince1970: 1_795_000_000.25)
        for text in ["plain", "ünï \u{7}\\ \"q\" </x>", ""] {
            for open in [true, false] {
                for deduplicated in [true, false] as [Bool?] + [nil] {
                    let record = Self.record(text: text, base: base, open: open)
                    let written = try JSONShapeWriter.bytes(AlertDTO(record, deduplicated: deduplicated))
                    let encoded = Array(
                        try APIJSON.encoder().encode(AlertDTO(record, deduplicated: deduplicated)))
                    #expect(try Self.decoded(written) == Self.decoded(encoded), "\(text) open=\(open)")
                }
            }
        }
    }

    @Test func withoutStoredTextBothRenderersPrintTheSameBytes() throws {
        for open in [true, false] {
            var record = Self.record(
                text: "x \u{7} é", base: Date(timeIntervalSince1970: 1_795_000_000.25), open: open)
            record.storedJSON = nil
            let dto = AlertDTO(record, deduplicated: open ? nil : true)
            #expect(try JSONShapeWriter.bytes(dto) == Array(try APIJSON.encoder().encode(dto)))
            // SPEC §12: the window that held it back, by ref, or null.
            let printed = String(decoding: try JSONShapeWriter.bytes(dto), as: UTF8.self)
            #expect(printed.contains(open ? #""suppressed_by":"MW-3""# : #""suppressed_by":null"#))
        }
    }

    @Test func anIncidentWithItsAlertsPrintsTheSameBytesBothWays() throws {
        var record = Self.record(text: "y", base: Date(timeIntervalSince1970: 1_795_000_000.25), open: false)
        record.storedJSON = nil
        let incident = IncidentJSONShapeTests.incident(
            id: 9, text: "t", base: Date(timeIntervalSince1970: 1_795_000_000), resolved: false)
        let detail = IncidentDetail(
            incident: incident, alerts: [record], alertCount: 1, latestStatusUpdate: nil)
        let dto = IncidentDTO(detail, now: Date(timeIntervalSince1970: 1_795_000_100), policy: .standard)
        #expect(try JSONShapeWriter.bytes(dto) == Array(try APIJSON.encoder().encode(dto)))
    }
}
