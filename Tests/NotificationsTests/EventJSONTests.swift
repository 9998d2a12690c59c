import Domain
import Foundation
import Notifications
import Testing

/// The webhook body is written by hand (CompactJSON) for speed; these hold it to the bytes
/// Foundation's `JSONEncoder` writes with sorted keys and unescaped slashes.
@Suite struct EventJSONTests {
    static func event(
        data: [String: JSONValue], occurredAt: Date = Date(timeIntervalSince1970: 1_800_000_000.25)
    )
        -> Event
    {
        Event(
            id: 9_007_199_254_740_993, type: "incident.note_added", occurredAt: occurredAt,
            actor: "alice/bob",
            subject: .incident(42), incidentID: 42, service: "api", serviceIDs: [1], severity: "SEV1",
            data: data)
    }

    @Test func theHandWrittenBodyIsTheBytesJSONEncoderWrites() throws {
        let documents: [[String: JSONValue]] = [
            [:],
            [
                "note":
                    "quotes \" backslash \\ slash / newline \n tab \t cr \r bell \u{7} nul-free \u{1f} del \u{7f}"
            ],
            ["note": "é 漢字 😀 \u{2028} \u{8}\u{c}"],
            [
                "z": .array([.integer(Int64.max), .integer(Int64.min), .bool(true), .bool(false), .null]),
                "a10": .number(1.5), "a2": .number(3), "B": .number(-0.0), "_": .number(1e-05),
                "e": .number(1.2345678901234568e+20), "é": .number(0.1), "a-b": .number(1.0 / 3.0),
                "nested": .object([
                    "y": .array([.object(["k": .string("v")]), .array([])]), "x": .object([:]),
                ]),
            ],
        ]
        for data in documents {
            let event = Self.event(data: data)
            let mine = try EventJSON.encode(event)
            let foundations = Array(try EventJSON.encoder().encode(EventJSON.document(event)))
            #expect(
                mine == foundations,
                "\(String(decoding: mine, as: UTF8.self))\n\(String(decoding: foundations, as: UTF8.self))")
        }
    }

    @Test func timestampsAreRFC3339WithMicrosecondsInUTC() {
        #expect(
            EventJSON.timestamp(Date(timeIntervalSince1970: 1_800_000_000.25))
                == "2027-01-15T08:00:00.250000Z")
        #expect(EventJSON.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000000Z")
        #expect(
            EventJSON.timestamp(Date(timeIntervalSince1970: 951_782_400.000001))
                == "2000-02-29T00:00:00.000001Z")
        #expect(EventJSON.timestamp(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500000Z")
    }
}
