import Domain
import Foundation
import Testing

private let now = utc("2024-12-13T15:00:00Z")

@Test func validAlertIsTrimmedAndDefaulted() throws {
    let alert = try NewAlert.validate(
        service: " payments ", source: "prometheus", summary: "  High error rate  ", severity: nil,
        dedupKey: nil, details: .object(["rate": .number(0.07)]),
        links: [AlertLink(href: "https://grafana.example/d/1", text: "Dashboard")])
    #expect(alert.service == "payments" && alert.summary == "High error rate")
    #expect(alert.severity == .warning)
    #expect(alert.dedupKeyWasDerived && alert.dedupKey.hasPrefix("auto-") && alert.dedupKey.count == 37)
    #expect(alert.details == ["rate": .number(0.07)])
    let again = try NewAlert.validate(
        service: "payments", source: "prometheus", summary: "High error rate", severity: "CRITICAL",
        dedupKey: "", details: nil, links: nil)
    #expect(again.dedupKey == alert.dedupKey)
    #expect(again.severity == .critical)
}

@Test func derivedDedupKeysSeparateFields() {
    let a = NewAlert.derivedDedupKey(service: "ab", source: "c", summary: "x")
    let b = NewAlert.derivedDedupKey(service: "a", source: "bc", summary: "x")
    #expect(a != b)
    #expect(a == NewAlert.derivedDedupKey(service: "ab", source: "c", summary: "x"))
}

@Test func alertValidationReportsEveryBadFieldAtOnce() {
    let longSummary = String(repeating: "x", count: Alert.maxSummaryLength + 1)
    #expect(throws: ValidationError.self) {
        try NewAlert.validate(
            service: "bad service", source: nil, summary: longSummary, severity: "page",
            dedupKey: String(repeating: "k", count: 256), details: .array([]),
            links: [AlertLink(href: "javascript:alert(1)"), AlertLink(href: " ")])
    }
    do {
        _ = try NewAlert.validate(
            service: "bad service", source: nil, summary: longSummary, severity: "page",
            dedupKey: String(repeating: "k", count: 256), details: .array([]),
            links: [AlertLink(href: "javascript:alert(1)"), AlertLink(href: " ")])
    } catch {
        #expect(
            error.fields == [
                "service", "source", "summary", "severity", "dedup_key", "details", "links[0].href",
                "links[1].href",
            ])
        #expect(error.issues[2].message == "must be at most 1024 characters")
        #expect(error.issues[3].message == "must be one of: critical, error, warning, info")
    }
}

@Test func lengthsCountUnicodeScalarsLikePostgres() throws {
    // 1024 "é" as e + combining accent are 1024 characters but 2048 scalars: too long for char_length.
    let combined = String(repeating: "e\u{301}", count: 1024)
    #expect(throws: ValidationError(field: "summary", message: "must be at most 1024 characters")) {
        try NewAlert.validate(
            service: "api", source: "s", summary: combined, severity: nil, dedupKey: "k", details: nil,
            links: nil)
    }
    let exact = String(repeating: "é", count: 1024)
    #expect(
        try NewAlert.validate(
            service: "api", source: "s", summary: exact, severity: nil, dedupKey: "k", details: nil,
            links: nil
        ).summary == exact)
}

@Test func nulAndControlCharactersAreRefused() {
    #expect(throws: ValidationError(field: "details", message: "must not contain NUL characters")) {
        try NewAlert.validate(
            service: "api", source: "s", summary: "x", severity: nil, dedupKey: "k",
            details: .object(["a": .string("\u{0}")]), links: nil)
    }
    #expect(throws: ValidationError(field: "summary", message: "must not contain NUL characters")) {
        try NewAlert.validate(
            service: "api", source: "s", summary: "a\u{0}b", severity: nil, dedupKey: "k", details: nil,
            links: nil)
    }
    #expect(Validator.textProblem("two\nlines", maxLength: 100, singleLine: true) != nil)
    #expect(Validator.textProblem("two\nlines\tok", maxLength: 100, singleLine: false) == nil)
    #expect(Validator.textProblem("bell\u{7}", maxLength: 100, singleLine: false) != nil)
}

@Test func newIncidentNormalisesAndDefaultsTimes() throws {
    let incident = try NewIncident.validate(
        title: "Database down", severity: "P0", summary: nil, impact: " ", commander: "alice",
        services: ["database", "api", "database"], alertIDs: ["7", "ALR-8", "alr-7"], startedAt: nil,
        detectedAt: nil, now: now)
    #expect(incident.severity == .sev1)
    #expect(incident.impact == nil)
    #expect(incident.services == ["database", "api"])
    #expect(incident.alertIDs == [7, 8])
    #expect(incident.detectedAt == now && incident.startedAt == now)
    #expect(incident.channel == "#incident-2024-12-13-database-down")
}

@Test func newIncidentCollectsAllIssues() {
    do {
        _ = try NewIncident.validate(
            title: "two\nlines", severity: "SEV9", summary: nil, impact: nil, commander: nil,
            services: ["ok", ""], alertIDs: ["INC-4", "x"], startedAt: utc("2024-12-13T14:30:00Z"),
            detectedAt: utc("2024-12-13T14:00:00Z"), now: now)
        Issue.record("expected a validation error")
    } catch {
        #expect(
            error.fields == [
                "title", "severity", "services[1]", "alert_ids[0]", "alert_ids[1]", "started_at",
            ])
        #expect(error.issues[3].message == "INC-4 does not name an alert.")
    }
}

@Test func incidentTimesMustNotBeInTheFutureBeyondTheSkew() throws {
    let withinSkew = try NewIncident.validate(
        title: "t", severity: "SEV3", summary: nil, impact: nil, commander: nil, services: nil, alertIDs: nil,
        startedAt: nil, detectedAt: now.addingTimeInterval(4), now: now)
    #expect(withinSkew.detectedAt == now.addingTimeInterval(4))
    #expect(throws: ValidationError(field: "detected_at", message: "must not be in the future")) {
        try NewIncident.validate(
            title: "t", severity: "SEV3", summary: nil, impact: nil, commander: nil, services: nil,
            alertIDs: nil,
            startedAt: nil, detectedAt: now.addingTimeInterval(6), now: now)
    }
    #expect(throws: ValidationError(field: "severity", message: "is required")) {
        try NewIncident.validate(
            title: "t", severity: nil, summary: nil, impact: nil, commander: nil, services: nil,
            alertIDs: nil,
            startedAt: nil, detectedAt: nil, now: now)
    }
}

@Test func incidentPatchDistinguishesUntouchedSetAndCleared() throws {
    let patch = try IncidentPatch.validate(
        title: nil, severity: "high", summary: "", impact: "New", commander: nil)
    #expect(patch.title == nil && patch.severity == .sev2)
    #expect(patch.summary == .clear && patch.impact == .set("New") && patch.commander == nil)
    #expect(
        try IncidentPatch.validate(title: nil, severity: nil, summary: nil, impact: nil, commander: nil)
            .isEmpty)
    do {
        _ = try IncidentPatch.validate(
            title: " ", severity: "huge", summary: nil, impact: nil, commander: "a\nb")
        Issue.record("expected a validation error")
    } catch {
        #expect(error.fields == ["title", "severity", "commander"])
    }
}

@Test func statusChangeAndNotesValidate() throws {
    #expect(
        try StatusChange.validate(status: "Identified", message: " Found it ")
            == StatusChange.validate(status: "identified", message: "Found it"))
    #expect(throws: ValidationError(field: "status", message: "is required")) {
        try StatusChange.validate(status: nil, message: "x")
    }
    #expect(try StatusChange.validate(status: "monitoring", message: nil).message == nil)

    let backdated = try TimelineNote.validate(
        body: "Paged DBA", occurredAt: utc("2024-12-13T14:10:00Z"), now: now)
    #expect(backdated.occurredAt == utc("2024-12-13T14:10:00Z"))
    let skewed = try TimelineNote.validate(body: "x", occurredAt: now.addingTimeInterval(3), now: now)
    #expect(skewed.occurredAt == now)
    do {
        _ = try TimelineNote.validate(body: "  ", occurredAt: now.addingTimeInterval(60), now: now)
        Issue.record("expected a validation error")
    } catch {
        #expect(error.fields == ["body", "occurred_at"])
    }
}

@Test func responderActionsAndServices() throws {
    #expect(
        try ResponderAction.acknowledge(by: " alice ", note: "")
            == ResponderAction.acknowledge(by: "alice", note: nil))
    #expect(throws: ValidationError(field: "resolution", message: "must not contain NUL characters")) {
        try ResponderAction.resolve(by: nil, resolution: "\u{0}")
    }
    #expect(
        try NewService.validate(name: "payments-v2", description: nil, criticalAlertIncidentSeverity: "p1")
            .criticalAlertIncidentSeverity == .sev1)
    #expect(
        try NewService.validate(name: "api", description: nil, criticalAlertIncidentSeverity: nil)
            .criticalAlertIncidentSeverity == .sev2)
    for bad in ["-api", "has space", "a/b", String(repeating: "a", count: 101), "ünï"] {
        #expect(!Service.isValidName(bad), "\(bad)")
    }
}

@Test func actionItemsAndPostMortemPatches() throws {
    let item = try NewActionItem.validate(owner: "bob", action: "Add a read replica", dueDate: "2024-12-20")
    #expect(item.dueDate == CalendarDate(year: 2024, month: 12, day: 20))
    do {
        _ = try NewActionItem.validate(owner: nil, action: "", dueDate: "20/12/2024")
        Issue.record("expected a validation error")
    } catch {
        #expect(error.fields == ["owner", "action", "due_date"])
    }
    let itemPatch = try ActionItemPatch.validate(owner: nil, action: nil, dueDate: "", status: "DONE")
    #expect(itemPatch.dueDate == .clear && itemPatch.status == .done && !itemPatch.isEmpty)
    #expect(throws: ValidationError(field: "status", message: "must be one of: open, done")) {
        try ActionItemPatch.validate(owner: nil, action: nil, dueDate: nil, status: "closed")
    }

    let patch = try PostMortemPatch.validate(
        summary: nil, impact: "", rootCause: "Pool exhausted", lessons: Lessons(wentWell: "Fast rollback"),
        prevention: nil, status: "in-review")
    #expect(patch.impact == .clear && patch.rootCause == .set("Pool exhausted") && patch.status == .inReview)
    #expect(patch.wentWell == .set("Fast rollback") && patch.wentWrong == nil && patch.editsText)
    do {
        _ = try PostMortemPatch.validate(
            summary: nil, impact: nil, rootCause: "\u{0}", lessons: Lessons(gotLucky: "\u{0}"),
            prevention: nil,
            status: "final")
        Issue.record("expected a validation error")
    } catch {
        #expect(error.fields == ["root_cause", "lessons.got_lucky", "status"])
    }
}
