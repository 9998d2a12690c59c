import Domain
import Testing

@Test func alertSeverityParsesTheFourValuesInAnyCase() {
    for severity in AlertSeverity.allCases {
        #expect(AlertSeverity(parsing: severity.rawValue) == severity)
        #expect(AlertSeverity(parsing: " \(severity.rawValue.uppercased()) ") == severity)
    }
    #expect(AlertSeverity(parsing: "page") == nil)
    #expect(AlertSeverity(parsing: "") == nil)
    #expect(AlertSeverity.default == .warning)
}

@Test(arguments: [
    ("critical", AlertSeverity.critical), ("page", .critical), ("PAGE", .critical),
    ("error", .error), ("high", .error), ("warning", .warning), ("warn", .warning),
    ("medium", .warning), ("info", .info), ("low", .info), ("none", .info),
])
func alertmanagerSeverityLabelsMapToNativeSeverities(label: String, expected: AlertSeverity) {
    #expect(AlertSeverity(alertmanagerLabel: label) == expected)
}

@Test func unknownOrMissingAlertmanagerLabelsBecomeWarning() {
    #expect(AlertSeverity(alertmanagerLabel: "disaster-ish") == .warning)
    #expect(AlertSeverity(alertmanagerLabel: nil) == .warning)
    #expect(AlertSeverity(alertmanagerLabel: "") == .warning)
}

@Test func onlyCriticalAlertsOpenIncidentsAndCriticalSortsFirst() {
    #expect(AlertSeverity.allCases.filter(\.opensIncident) == [.critical])
    #expect(
        [AlertSeverity.info, .critical, .warning, .error].sorted() == [.critical, .error, .warning, .info])
}

@Test(arguments: [
    ("SEV1", IncidentSeverity.sev1), ("sev1", .sev1), ("SEV-1", .sev1), ("sev_2", .sev2), ("Sev 3", .sev3),
    ("SEV4", .sev4), ("1", .sev1), ("2", .sev2), ("3", .sev3), ("4", .sev4),
    ("P0", .sev1), ("P1", .sev1), ("p2", .sev2), ("P3", .sev3), ("P4", .sev4),
    ("critical", .sev1), ("HIGH", .sev2), ("major", .sev2), ("medium", .sev3), ("minor", .sev3),
    ("low", .sev4), ("  low\n", .sev4),
])
func incidentSeverityAliasesNormalise(input: String, expected: IncidentSeverity) {
    #expect(IncidentSeverity(parsing: input) == expected)
}

@Test(arguments: ["", "0", "5", "P5", "SEV0", "SEV5", "SEV12", "sev--1", "p-1", "urgent", "S1", "١", "SEV١"])
func incidentSeverityRejectsEverythingElse(input: String) {
    #expect(IncidentSeverity(parsing: input) == nil)
}

@Test func incidentSeverityOrdersMostSevereFirstAndPrintsTheSeedSpelling() {
    #expect([IncidentSeverity.sev3, .sev1, .sev4, .sev2].sorted() == [.sev1, .sev2, .sev3, .sev4])
    #expect(IncidentSeverity.sev1.hyphenated == "SEV-1")
    #expect(IncidentSeverity.allCases.filter(\.isMajor) == [.sev1, .sev2])
    #expect(IncidentSeverity.defaultForCriticalAlert == .sev2)
    #expect(IncidentSeverity(level: 0) == nil)
}

@Test func statusesParseAndOrder() {
    #expect(IncidentStatus(parsing: "Monitoring") == .monitoring)
    #expect(IncidentStatus(parsing: "mitigated") == nil)
    #expect(IncidentStatus.allCases.sorted() == [.investigating, .identified, .monitoring, .resolved])
    #expect(IncidentStatus.openStatuses.allSatisfy(\.isOpen) && !IncidentStatus.resolved.isOpen)
    #expect(AlertStatus(parsing: "ACKNOWLEDGED") == .acknowledged)
    #expect(AlertStatus.allCases.filter(\.isOpen) == [.triggered, .acknowledged])
    #expect(PostMortemStatus(parsing: "in-review") == .inReview)
    #expect(PostMortemStatus(parsing: "IN_REVIEW") == .inReview)
    #expect(PostMortemStatus.inReview.rawValue == "in_review")
    #expect(ActionItemStatus(parsing: "Done") == .done)
}
