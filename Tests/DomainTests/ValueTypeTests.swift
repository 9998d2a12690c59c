import Domain
import Foundation
import Testing

@Test func jsonValueRoundTripsThroughCodable() throws {
    let json = #"{"a":1,"b":1.5,"c":"x","d":[true,null],"e":{"f":9007199254740993}}"#
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    #expect(
        value
            == .object([
                "a": .integer(1), "b": .number(1.5), "c": .string("x"), "d": .array([.bool(true), .null]),
                "e": .object(["f": .integer(9_007_199_254_740_993)]),
            ]))
    let encoded = try JSONEncoder().encode(value)
    #expect(try JSONDecoder().decode(JSONValue.self, from: encoded) == value)
}

@Test func jsonValueFindsNULAnywhere() {
    #expect(!JSONValue.object(["a": .array([.string("ok")])]).containsNUL)
    #expect(JSONValue.object(["a": .array([.string("b\u{0}")])]).containsNUL)
    #expect(JSONValue.object(["k\u{0}": .null]).containsNUL)
}

@Test func calendarDatesParseOnlyRealDays() {
    #expect(CalendarDate(parsing: "2024-02-29")?.description == "2024-02-29")
    #expect(CalendarDate(parsing: "2023-02-29") == nil)
    #expect(CalendarDate(parsing: "2024-13-01") == nil)
    #expect(CalendarDate(parsing: "2024-1-01") == nil)
    #expect(CalendarDate(parsing: "2024-01-01T00:00:00Z") == nil)
    #expect(CalendarDate(parsing: "") == nil)
    #expect(CalendarDate(utc("2024-12-13T23:59:59Z")).description == "2024-12-13")
    #expect(CalendarDate(parsing: "2024-12-13")?.startOfDay == utc("2024-12-13T00:00:00Z"))
    #expect(CalendarDate(parsing: "2024-12-13")! < CalendarDate(parsing: "2025-01-01")!)
}

@Test func calendarDatesCodeAsStrings() throws {
    let date = try #require(CalendarDate(parsing: "2024-12-20"))
    #expect(String(decoding: try JSONEncoder().encode([date]), as: UTF8.self) == #"["2024-12-20"]"#)
    #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([CalendarDate].self, from: Data(#"["12/20/2024"]"#.utf8))
    }
}

@Test func actionItemsAreOverdueOnlyWhenOpenAndPastTheirDay() throws {
    let today = try #require(CalendarDate(parsing: "2024-12-20"))
    var item = ActionItem(
        id: 1, postMortemID: 1, owner: "bob", action: "Add alert",
        dueDate: CalendarDate(parsing: "2024-12-19"),
        createdAt: utc("2024-12-14T00:00:00Z"), updatedAt: utc("2024-12-14T00:00:00Z"))
    #expect(item.isOverdue(today: today))
    item.dueDate = today
    #expect(!item.isOverdue(today: today))
    item.dueDate = CalendarDate(parsing: "2024-01-01")
    item.status = .done
    #expect(!item.isOverdue(today: today))
    item.status = .open
    item.dueDate = nil
    #expect(!item.isOverdue(today: today))
}

@Test func incidentDurationIsDetectionToResolutionInMinutes() {
    #expect(scriptedIncident().durationMinutes == 47)
    #expect(scriptedIncident(resolvedAt: nil).durationMinutes == nil)
    #expect(scriptedIncident().ref.description == "INC-42")
}
