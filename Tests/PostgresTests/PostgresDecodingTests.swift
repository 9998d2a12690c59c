import Foundation
import Postgres
import TestSupport
import Testing

/// Every supported Swift type goes to PostgreSQL as a parameter and comes back decoded.
@Suite struct PostgresDecodingTests {
    let connection: PostgresConnection

    init() throws {
        connection = try TestDatabase.makeFreshDatabase().connect()
    }

    /// Sends `value` as `$1`, casts it to `sqlType`, and decodes the column as `Value`.
    func roundTrip<Value: PostgresBindable & PostgresDecodable>(_ value: Value, _ sqlType: StaticString)
        throws
        -> Value
    {
        let rows = try connection.query("SELECT \(value)::\(sql: sqlType) AS value")
        return try #require(rows.first).decode("value", as: Value.self)
    }

    @Test func integersRoundTrip() throws {
        for value in [Int64.min, -1, 0, 1, Int64.max] {
            #expect(try roundTrip(value, "int8") == value)
        }
        for value in [Int32.min, 0, Int32.max] {
            #expect(try roundTrip(value, "int4") == value)
        }
        #expect(try roundTrip(Int(42), "int8") == 42)
        let row = try #require(
            try connection.query("SELECT 7::int2 AS small, count(*) AS n FROM pg_class").first)
        #expect(try row.decode("small", as: Int.self) == 7)
        #expect(try row.decode("n", as: Int32.self) > 0)
    }

    @Test func textBoolAndDoubleRoundTrip() throws {
        for text in ["", "plain", "quote ' and \" and \\ backslash", "ünïcødé 🚨", "{NULL}", "a,b"] {
            #expect(try roundTrip(text, "text") == text)
        }
        #expect(try roundTrip(true, "bool") == true)
        #expect(try roundTrip(false, "bool") == false)
        for number in [0.1, -2.5e-300, 1.7976931348623157e308, 123_456.789] {
            #expect(try roundTrip(number, "float8") == number)
        }
        #expect(try roundTrip(Double.infinity, "float8") == .infinity)
        #expect(try roundTrip(Double.nan, "float8").isNaN)
        let numeric = try #require(try connection.query("SELECT 12.50::numeric AS value").first)
        #expect(try numeric.decode("value", as: Double.self) == 12.5)
    }

    @Test func datesRoundTripWithMicroseconds() throws {
        let instants = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 1_715_000_000.123456),
            Date(timeIntervalSince1970: -1_000_000_000.5), Date(timeIntervalSince1970: 4_102_444_800.000001),
        ]
        for instant in instants {
            let decoded = try roundTrip(instant, "timestamptz")
            #expect(abs(decoded.timeIntervalSince1970 - instant.timeIntervalSince1970) < 0.000_001)
        }
        // Text output in another time zone still decodes to the same instant.
        try connection.query("SET TimeZone TO 'Asia/Kolkata'")
        let row = try #require(
            try connection.query("SELECT '2024-05-01 12:30:00.5+00'::timestamptz AS t").first)
        #expect(try row.decode("t", as: Date.self) == Date(timeIntervalSince1970: 1_714_566_600.5))
    }

    @Test func byteaRoundTripsEveryByteValue() throws {
        let bytes = (0...255).map { UInt8($0) }
        #expect(try roundTrip(bytes, "bytea") == bytes)
        #expect(try roundTrip([UInt8](), "bytea") == [])
        #expect(try roundTrip(Data([0, 1, 2]), "bytea") == Data([0, 1, 2]))
    }

    @Test func jsonRoundTripsAsTextAndCodable() throws {
        struct Details: Codable, Equatable { let host: String; let load: Double }
        let json = try PostgresJSON(encoding: Details(host: "db-1", load: 0.75))
        let decoded = try roundTrip(json, "jsonb")
        #expect(try decoded.decode(as: Details.self) == Details(host: "db-1", load: 0.75))
        let plain = try #require(try connection.query("SELECT '{\"a\": [1, 2]}'::json AS doc").first)
        #expect(try plain.decode("doc", as: PostgresJSON.self).text == "{\"a\": [1, 2]}")
    }

    @Test func arraysRoundTrip() throws {
        #expect(try roundTrip([Int64(1), -2, Int64.max], "int8[]") == [1, -2, Int64.max])
        #expect(try roundTrip([Int64](), "int8[]") == [])
        let texts = ["a", "", "NULL", "with space", "quote\"", "back\\slash", "comma,", "{brace}", "ü"]
        #expect(try roundTrip(texts, "text[]") == texts)
        let row = try #require(
            try connection.query("SELECT ARRAY[1,2]::int4[] AS small, '[0:1]={5,6}'::int8[] AS shifted").first
        )
        #expect(try row.decode("small", as: [Int64].self) == [1, 2])
        #expect(try row.decode("shifted", as: [Int64].self) == [5, 6])
    }

    @Test func nullsDecodeAsNilForOptionals() throws {
        let none: String? = nil
        let row = try #require(
            try connection.query(
                """
                SELECT \(none) AS t, NULL::int8 AS i, NULL::bool AS b, NULL::float8 AS d, NULL::timestamptz AS ts,
                       NULL::bytea AS by, NULL::jsonb AS j, NULL::int8[] AS a, \(Int64?.some(3)) AS present
                """
            ).first)
        #expect(try row.decode("t", as: String?.self) == nil)
        #expect(try row.decode("i", as: Int64?.self) == nil)
        #expect(try row.decode("b", as: Bool?.self) == nil)
        #expect(try row.decode("d", as: Double?.self) == nil)
        #expect(try row.decode("ts", as: Date?.self) == nil)
        #expect(try row.decode("by", as: [UInt8]?.self) == nil)
        #expect(try row.decode("j", as: PostgresJSON?.self) == nil)
        #expect(try row.decode("a", as: [Int64]?.self) == nil)
        #expect(try row.decode("present", as: Int64?.self) == 3)
        #expect(try row.isNull("i"))
    }

    @Test func typeMismatchNamesColumnSwiftTypeAndPostgresType() throws {
        let row = try #require(
            try connection.query("SELECT 'abc'::text AS summary, NULL::int8 AS count").first)
        let mismatch = #expect(throws: PostgresError.self) { try row.decode("summary", as: Int64.self) }
        #expect(mismatch?.kind == .decoding)
        #expect(mismatch?.message.contains("\"summary\"") == true)
        #expect(mismatch?.message.contains("Int64") == true)
        #expect(mismatch?.message.contains("text") == true)
        #expect(mismatch?.message.contains("abc") == false)
        let null = #expect(throws: PostgresError.self) { try row.decode("count", as: Int64.self) }
        #expect(null?.message.contains("\"count\"") == true)
        #expect(null?.message.contains("NULL") == true)
        let missing = #expect(throws: PostgresError.self) { try row.decode("nope", as: Int64.self) }
        #expect(missing?.message.contains("summary, count") == true)
    }

    @Test func decodingByIndexMatchesByName() throws {
        let row = try #require(try connection.query("SELECT \(Int64(5)) AS a, \("b") AS b").first)
        #expect(try row.decode(0, as: Int64.self) == 5)
        #expect(try row.decode(1, as: String.self) == "b")
        #expect(throws: PostgresError.self) { try row.decode(2, as: String.self) }
    }

    @Test func stringWithNulByteIsRefusedNotTruncated() throws {
        let error = #expect(throws: PostgresError.self) { try roundTrip("a\u{0}b", "text") }
        #expect(error?.sqlState == "22021")
    }
}
