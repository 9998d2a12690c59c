import Domain
import Foundation
import TestSupport
import Testing

@testable import Repositories

/// The direct JSON writer events and timeline entries are stored with reads back, through
/// Foundation's parser and PostgreSQL's jsonb, as the value it was given.
@Suite struct JSONTextTests {
    static let value: [String: JSONValue] = [
        "string": "quote \" backslash \\ slash / tab \t newline \n bell \u{07} é ✓ 🚨",
        "integer": .integer(-9_007_199_254_740_993), "number": .number(0.1), "big": .number(1e300),
        "whole": .number(3), "true": true, "null": .null,
        "array": .array([1, "two", .array([]), .object([:])]),
        "nested": .object(["b": 2, "a": .object(["z": "last", "y": .null])]),
    ]

    @Test func theTextParsesBackToTheSameValueWithSortedKeys() throws {
        let text = try JSONText.object(Self.value)
        let parsed = try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
        #expect(parsed["string"] == Self.value["string"] && parsed["integer"] == Self.value["integer"])
        #expect(parsed["array"] == Self.value["array"] && parsed["nested"] == Self.value["nested"])
        #expect(parsed["number"] == .number(0.1) && parsed["big"] == .number(1e300) && parsed["true"] == true)
        // A whole double reads back as an integer: the same number.
        #expect(parsed["whole"] == .integer(3))
        #expect(text.hasPrefix(#"{"array":[1,"two",[],{}],"big":1e+300,"integer":-9007199254740993,"#))
        #expect(text.contains(#"\u0007"#) && text.contains(#""nested":{"a":{"y":null,"z":"last"},"b":2}"#))
        #expect(throws: JSONText.NotRepresentable.self) { try JSONText.object(["bad": .number(.nan)]) }
    }

    @Test func postgresReadsTheTextAsTheSameJSONBAsFoundationsEncoderGives() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        defer { connection.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let theirs = String(decoding: try encoder.encode(Self.value), as: UTF8.self)
        let same: Bool = try connection.query(
            "SELECT \(try JSONText.object(Self.value))::jsonb = \(theirs)::jsonb AS same")[0].decode("same")
        #expect(same)
    }
}
