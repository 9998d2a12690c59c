import Domain
import Foundation
import Testing

/// A scripted response: ack at 14:05, identified 14:20, monitoring 14:31, resolved 14:49.
private func scriptedTimeline() throws -> [TimelineEntry] {
    let note = try TimelineNote.validate(
        body: "Pool at 100 %", occurredAt: nil, now: utc("2024-12-13T14:25:00Z"))
    return [
        entry(
            1, .created(title: "Payments API returning 500s", severity: .sev1, actor: "alice"),
            at: "2024-12-13T14:02:00Z"),
        entry(2, .acknowledged(actor: "alice", note: nil), at: "2024-12-13T14:05:00Z"),
        entry(
            3, .statusChanged(from: .investigating, to: .identified, actor: "alice"),
            at: "2024-12-13T14:20:00Z"),
        entry(
            4, .note(note, actor: "bob"),
            at: "2024-12-13T14:25:00Z"),
        entry(
            5, .statusChanged(from: .identified, to: .monitoring, actor: "bob"), at: "2024-12-13T14:31:00Z"),
        entry(6, .statusChanged(from: .monitoring, to: .resolved, actor: "bob"), at: "2024-12-13T14:49:00Z"),
    ]
}

@Test func keyMomentsComeFromTheTimeline() throws {
    let moments = KeyMoments.derive(incident: scriptedIncident(), timeline: try scriptedTimeline().reversed())
    #expect(moments.detection == utc("2024-12-13T14:02:00Z"))
    #expect(moments.responseInitiated == utc("2024-12-13T14:05:00Z"))
    #expect(moments.rootCauseIdentified == utc("2024-12-13T14:20:00Z"))
    #expect(moments.mitigationApplied == utc("2024-12-13T14:31:00Z"))
    #expect(moments.resolutionConfirmed == utc("2024-12-13T14:49:00Z"))
}

@Test func keyMomentsTakeTheEarliestEvidenceAndLeaveGapsEmpty() {
    // Alert acked before the incident; mitigated_at set before the status change; status skipped identified.
    let incident = scriptedIncident(
        acknowledgedAt: utc("2024-12-13T14:06:00Z"), mitigatedAt: utc("2024-12-13T14:28:00Z"))
    let timeline = [
        entry(1, .alertAcknowledged(alert: .alert(7), actor: "carol", note: nil), at: "2024-12-13T14:04:00Z"),
        entry(
            2, .statusChanged(from: .investigating, to: .monitoring, actor: "bob"), at: "2024-12-13T14:30:00Z"
        ),
    ]
    let moments = KeyMoments.derive(incident: incident, timeline: timeline)
    #expect(moments.responseInitiated == utc("2024-12-13T14:04:00Z"))
    #expect(moments.rootCauseIdentified == nil)
    #expect(moments.mitigationApplied == utc("2024-12-13T14:28:00Z"))

    let open = KeyMoments.derive(
        incident: scriptedIncident(acknowledgedAt: nil, resolvedAt: nil), timeline: [])
    #expect(open.responseInitiated == nil && open.resolutionConfirmed == nil && open.detection != nil)
}

@Test func draftIsPrefilledFromTheIncident() throws {
    let draft = PostMortem.draft(for: scriptedIncident(), timeline: try scriptedTimeline())
    #expect(draft.incidentID == 42)
    #expect(draft.date.description == "2024-12-13")
    #expect(draft.durationMinutes == 47)
    #expect(draft.severity == .sev1)
    #expect(draft.impact == "About 60 % of checkouts failed.")
    #expect(draft.keyMoments.rootCauseIdentified == utc("2024-12-13T14:20:00Z"))
    #expect(draft.dueAt == utc("2024-12-15T14:49:00Z"))

    var minor = scriptedIncident()
    minor.severity = .sev3
    #expect(PostMortem.draft(for: minor, timeline: []).dueAt == nil)
    #expect(PostMortem.draft(for: scriptedIncident(resolvedAt: nil), timeline: []).dueAt == nil)
}

@Test func postMortemsAreOverdueOnlyUnpublishedAndPastDue() {
    let draft = PostMortem.draft(for: scriptedIncident(), timeline: [])
    var postMortem = makePostMortem(draft)
    #expect(!postMortem.isOverdue(now: utc("2024-12-15T14:49:00Z")))
    #expect(postMortem.isOverdue(now: utc("2024-12-15T14:49:01Z")))
    postMortem.status = .published
    #expect(!postMortem.isOverdue(now: utc("2024-12-20T00:00:00Z")))
}

@Test func markdownHasEverySeedSectionInOrderWithTheFacts() throws {
    var postMortem = makePostMortem(
        PostMortem.draft(for: scriptedIncident(), timeline: try scriptedTimeline()))
    postMortem = try PostMortemPatch.validate(
        summary: nil, impact: nil, rootCause: "The connection pool was capped at 20.",
        lessons: Lessons(
            wentWell: "Rollback took 3 minutes.", wentWrong: "No alert on pool saturation.\nPaging was slow."),
        prevention: "Alert on pool saturation.", status: nil
    ).applied(to: postMortem)
    postMortem.actionItems = [
        ActionItem(
            id: 1, postMortemID: 1, owner: "bob", action: "Add pool saturation alert",
            dueDate: CalendarDate(parsing: "2024-12-20"), createdAt: utc("2024-12-14T00:00:00Z"),
            updatedAt: utc("2024-12-14T00:00:00Z")),
        ActionItem(
            id: 2, postMortemID: 1, owner: "alice", action: "Raise pool size", status: .done,
            createdAt: utc("2024-12-14T00:00:00Z"), updatedAt: utc("2024-12-14T00:00:00Z")),
    ]
    let markdown = PostMortemMarkdown.render(postMortem, incident: scriptedIncident())

    let expectedInOrder = [
        "# Incident Post-Mortem: INC-42", "**Payments API returning 500s**",
        "## Summary", "- Date: 2024-12-13", "- Duration: 47 minutes", "- Severity: SEV-1",
        "- Impact: About 60 % of checkouts failed.", "Checkout failed for most users.",
        "## Timeline", "- 14:02 - Detection", "- 14:05 - Response initiated",
        "- 14:20 - Root cause identified",
        "- 14:31 - Mitigation applied", "- 14:49 - Resolution confirmed",
        "## Root Cause", "The connection pool was capped at 20.",
        "## Lessons Learned", "1. What went well", "   Rollback took 3 minutes.",
        "2. What went wrong", "   No alert on pool saturation.\n   Paging was slow.",
        "3. Where we got lucky", "   _Not yet written._",
        "## Action Items", "- [ ] bob - Add pool saturation alert - 2024-12-20",
        "- [x] alice - Raise pool size - no due date",
        "## Prevention Measures", "Alert on pool saturation.",
    ]
    var searchFrom = markdown.startIndex
    for expected in expectedInOrder {
        guard let found = markdown.range(of: expected, range: searchFrom..<markdown.endIndex) else {
            Issue.record("missing or out of order: \(expected)\n\(markdown)")
            return
        }
        searchFrom = found.upperBound
    }
    #expect(markdown.hasSuffix("Alert on pool saturation.\n"))
}

@Test func markdownMarksGapsAndOtherDays() {
    let incident = scriptedIncident(acknowledgedAt: nil, resolvedAt: utc("2024-12-14T01:10:00Z"))
    let postMortem = makePostMortem(PostMortem.draft(for: incident, timeline: []))
    let markdown = PostMortemMarkdown.render(postMortem, incident: incident)
    #expect(markdown.contains("- --:-- - Response initiated (not recorded)"))
    #expect(markdown.contains("- 2024-12-14 01:10 - Resolution confirmed"))
    #expect(markdown.contains("## Action Items\n\n_None recorded._"))
    #expect(markdown.contains("## Root Cause\n\n_Not yet written._"))
    let openMarkdown = PostMortemMarkdown.render(
        makePostMortem(PostMortem.draft(for: scriptedIncident(resolvedAt: nil), timeline: [])),
        incident: scriptedIncident(resolvedAt: nil))
    #expect(openMarkdown.contains("- Duration: ongoing"))
}

@Test func patchLeavesUntouchedFieldsAndClearsEmptyOnes() throws {
    var postMortem = makePostMortem(PostMortem.draft(for: scriptedIncident(), timeline: []))
    postMortem.lessons = Lessons(wentWell: "a", wentWrong: "b")
    let patch = try PostMortemPatch.validate(
        summary: nil, impact: "", rootCause: nil, lessons: Lessons(wentWrong: "c"), prevention: nil,
        status: nil)
    let patched = patch.applied(to: postMortem)
    #expect(patched.impact == nil && patched.summary == postMortem.summary)
    #expect(patched.lessons == Lessons(wentWell: "a", wentWrong: "c"))
    #expect(
        !(try PostMortemPatch.validate(
            summary: nil, impact: nil, rootCause: nil, lessons: nil, prevention: nil, status: "published"))
            .editsText)
}

@Test func statusTimelineEntriesCarryTheirTarget() {
    let published = NewTimelineEntry.postMortemStatusChanged(from: .inReview, to: .published, actor: "alice")
    #expect(published.kind == .postmortemPublished)
    #expect(
        NewTimelineEntry.postMortemStatusChanged(from: .draft, to: .inReview, actor: "a").kind
            == .postmortemStatusChanged)
    let change = entry(
        1, .statusChanged(from: .identified, to: .monitoring, actor: "a"), at: "2024-12-13T14:00:00Z")
    #expect(change.statusChangedTo == .monitoring)
    #expect(change.data["from"] == "identified")
    #expect(TimelineEntryKind.statusChanged.rawValue == "status_changed")
    #expect(TimelineEntryKind.clientWritable == [.note])
}

private func makePostMortem(_ draft: PostMortemDraft) -> PostMortem {
    PostMortem(
        id: 1, incidentID: draft.incidentID, date: draft.date, durationMinutes: draft.durationMinutes,
        severity: draft.severity, impact: draft.impact, summary: draft.summary, keyMoments: draft.keyMoments,
        dueAt: draft.dueAt, createdAt: utc("2024-12-14T00:00:00Z"), updatedAt: utc("2024-12-14T00:00:00Z"))
}
