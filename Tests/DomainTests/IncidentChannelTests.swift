import Domain
import Foundation
import Testing

@Test func channelNameIsDatePlusSlugInUTC() {
    // 23:30 at UTC-5 is already the next day in UTC.
    let date = utc("2024-12-14T04:30:00Z")
    #expect(IncidentChannel.name(title: "Database down", date: date) == "#incident-2024-12-14-database-down")
    #expect(IncidentChannel.name(title: "x", date: utc("2024-01-02T00:00:00Z")) == "#incident-2024-01-02-x")
}

@Test(arguments: [
    ("Payments API returning 500s!", "payments-api-returning-500s"),
    ("  --Auth   service: DOWN--  ", "auth-service-down"),
    ("Café crème outage", "cafe-creme-outage"),
    ("Ｆｕｌｌｗｉｄｔｈ title", "fullwidth-title"),
    ("数据库 down 🔥", "down"),
    ("a/b\\c_d.e", "a-b-c-d-e"),
])
func slugsAreLowercaseASCIIWithSingleHyphens(title: String, expected: String) {
    #expect(IncidentChannel.slug(title) == expected)
}

@Test(arguments: ["", "   ", "!!!", "数据库", "🔥🔥"])
func slugFallsBackWhenNothingUsableRemains(title: String) {
    #expect(IncidentChannel.slug(title) == "incident")
}

@Test func longTitlesAreCutWithoutATrailingHyphen() {
    let slug = IncidentChannel.slug(String(repeating: "outage ", count: 30))
    #expect(slug.count <= IncidentChannel.maxSlugLength)
    #expect(!slug.hasSuffix("-") && slug.hasPrefix("outage-outage"))
    let oneWord = IncidentChannel.slug(String(repeating: "a", count: 100))
    #expect(oneWord == String(repeating: "a", count: 40))
    // Every slug only ever contains [a-z0-9-], never doubled or edge hyphens.
    for title in ["A -- B", "-x-", "ÀÉÎõü", "tab\there", "line\nbreak"] {
        let slug = IncidentChannel.slug(title)
        #expect(slug.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") })
        #expect(!slug.contains("--") && !slug.hasPrefix("-") && !slug.hasSuffix("-"))
    }
}
