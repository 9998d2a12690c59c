import Domain
import Testing

@Test(arguments: [
    ("42", EntityRef.incident(42)), ("INC-42", .incident(42)), ("inc-42", .incident(42)),
    (" INC-0042 ", .incident(42)), ("999999999999999999", .incident(999_999_999_999_999_999)),
])
func incidentIDsAcceptNumbersAndRefs(text: String, expected: EntityRef) throws {
    #expect(try EntityRef.parse(text, expecting: .incident) == expected)
}

@Test func alertIDsAcceptNumbersAndRefs() throws {
    #expect(try EntityRef.parse("7", expecting: .alert) == .alert(7))
    #expect(try EntityRef.parse("ALR-7", expecting: .alert) == .alert(7))
    #expect(try EntityRef.parse("alr-7", expecting: .alert) == .alert(7))
}

@Test func aRefOfTheWrongKindIsAnError() {
    #expect(throws: EntityRefError.wrongKind(expected: .incident, found: .alert(7))) {
        try EntityRef.parse("ALR-7", expecting: .incident)
    }
    #expect(throws: EntityRefError.wrongKind(expected: .alert, found: .incident(42))) {
        try EntityRef.parse("INC-42", expecting: .alert)
    }
    #expect(throws: EntityRefError.wrongKind(expected: .actionItem, found: .incident(3))) {
        try EntityRef.parse("INC-3", expecting: .actionItem)
    }
    #expect(
        EntityRefError.wrongKind(expected: .incident, found: .alert(7)).description
            == "ALR-7 does not name an incident.")
}

@Test(arguments: [
    "INC-", "INC--4", "INC-4x", "4x", "-4", "+4", "0", "INC-0", "4.0", "INC 42", "ABC-4", "INC-٤",
    "1234567890123456789", "9223372036854775808", "INC-42-1", "0x10",
])
func malformedIDsAreRefused(text: String) {
    #expect(throws: EntityRefError.malformed(text)) { try EntityRef.parse(text, expecting: .incident) }
}

@Test func emptyIDIsRefused() {
    #expect(throws: EntityRefError.empty) { try EntityRef.parse("  ", expecting: .incident) }
}

@Test func refsFormatWithTheirPrefix() throws {
    #expect(EntityRef.incident(42).description == "INC-42")
    #expect(EntityRef.alert(7).description == "ALR-7")
    #expect(EntityRef(kind: .actionItem, id: 5).description == "5")
    #expect(try EntityRef.parse("12", expecting: .actionItem) == EntityRef(kind: .actionItem, id: 12))
    #expect(try EntityRef.parse("12", bareNumberKind: .alert) == .alert(12))
}
