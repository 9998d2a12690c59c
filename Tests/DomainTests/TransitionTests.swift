import Domain
import Testing

@Test func alertAcknowledgeOutcomes() {
    #expect(AlertTransition.acknowledge(from: .triggered) == .apply)
    #expect(AlertTransition.acknowledge(from: .acknowledged) == .noOp)
    #expect(AlertTransition.acknowledge(from: .resolved) == .conflict("The alert is already resolved."))
}

@Test func alertResolveOutcomes() {
    #expect(AlertTransition.resolve(from: .triggered) == .apply)
    #expect(AlertTransition.resolve(from: .acknowledged) == .apply)
    #expect(AlertTransition.resolve(from: .resolved) == .conflict("The alert is already resolved."))
}

@Test func triggersDeduplicateOnlyIntoOpenAlerts() {
    #expect(AlertTransition.triggerDeduplicates(into: .triggered))
    #expect(AlertTransition.triggerDeduplicates(into: .acknowledged))
    #expect(!AlertTransition.triggerDeduplicates(into: .resolved))
}

@Test func incidentStatusMovesForwardWithSkips() {
    let open: [IncidentStatus] = [.investigating, .identified, .monitoring]
    for current in open {
        for target in IncidentStatus.allCases where target > current {
            #expect(IncidentTransition.changeStatus(from: current, to: target, hasMessage: false) == .change)
            #expect(IncidentTransition.changeStatus(from: current, to: target, hasMessage: true) == .change)
        }
    }
}

@Test func incidentSameStatusIsAnUpdateWithMessageElseANoOp() {
    for status in IncidentStatus.openStatuses {
        #expect(IncidentTransition.changeStatus(from: status, to: status, hasMessage: true) == .updateOnly)
        #expect(IncidentTransition.changeStatus(from: status, to: status, hasMessage: false) == .noOp)
    }
}

@Test func incidentStatusCannotMoveBackwards() {
    let outcome = IncidentTransition.changeStatus(from: .monitoring, to: .identified, hasMessage: true)
    guard case .conflict(let reason) = outcome else {
        Issue.record("expected a conflict, got \(outcome)")
        return
    }
    #expect(reason.contains("monitoring") && reason.contains("identified"))
    #expect(
        IncidentTransition.changeStatus(from: .identified, to: .investigating, hasMessage: false) != .change)
}

@Test func everythingOnAResolvedIncidentConflictsExceptNotes() {
    for target in IncidentStatus.allCases {
        for hasMessage in [true, false] {
            let outcome = IncidentTransition.changeStatus(from: .resolved, to: target, hasMessage: hasMessage)
            #expect(DomainError.from(outcomeAsTransition(outcome)) != nil)
        }
    }
    #expect(DomainError.from(IncidentTransition.acknowledge(status: .resolved, isAcknowledged: false)) != nil)
    #expect(DomainError.from(IncidentTransition.resolve(status: .resolved)) != nil)
    #expect(DomainError.from(IncidentTransition.edit(status: .resolved)) != nil)
    #expect(IncidentTransition.addNote(status: .resolved) == .apply)
}

@Test func incidentAcknowledgeAndResolveOutcomes() {
    #expect(IncidentTransition.acknowledge(status: .investigating, isAcknowledged: false) == .apply)
    #expect(IncidentTransition.acknowledge(status: .identified, isAcknowledged: true) == .noOp)
    #expect(IncidentTransition.resolve(status: .investigating) == .apply)
    #expect(IncidentTransition.resolve(status: .monitoring) == .apply)
    #expect(IncidentTransition.edit(status: .identified) == .apply)
}

@Test func postMortemFlowAndAdminReopen() {
    #expect(PostMortemTransition.changeStatus(from: .draft, to: .inReview, isAdmin: false) == .apply)
    #expect(PostMortemTransition.changeStatus(from: .inReview, to: .published, isAdmin: false) == .apply)
    #expect(PostMortemTransition.changeStatus(from: .inReview, to: .draft, isAdmin: false) == .apply)
    #expect(PostMortemTransition.changeStatus(from: .draft, to: .draft, isAdmin: false) == .noOp)
    #expect(PostMortemTransition.changeStatus(from: .published, to: .published, isAdmin: false) == .noOp)
    for target: PostMortemStatus in [.draft, .inReview] {
        #expect(
            DomainError.from(PostMortemTransition.changeStatus(from: .published, to: target, isAdmin: false))
                != nil)
        #expect(PostMortemTransition.changeStatus(from: .published, to: target, isAdmin: true) == .apply)
    }
    #expect(DomainError.from(PostMortemTransition.edit(status: .published)) != nil)
    #expect(PostMortemTransition.edit(status: .inReview) == .apply)
    #expect(PostMortemTransition.editActionItems(status: .published) == .apply)
}

@Test func domainErrorMapsOnlyConflicts() {
    #expect(DomainError.from(.apply) == nil)
    #expect(DomainError.from(.noOp) == nil)
    #expect(DomainError.from(.conflict("no")) == .conflict("no"))
    #expect(DomainError.notFound(.incident, "INC-9").description == "No incident INC-9 was found.")
    #expect(
        DomainError(ValidationError(field: "title", message: "is required"))
            == .validation([
                FieldIssue(field: "title", message: "is required")
            ]))
}

private func outcomeAsTransition(_ outcome: IncidentTransition.StatusChangeOutcome) -> TransitionOutcome {
    switch outcome {
    case .change, .updateOnly: .apply
    case .noOp: .noOp
    case .conflict(let reason): .conflict(reason)
    }
}

@Test func criticalAlertsOpenOrJoinIncidentsOthersStayAlone() {
    let service = Service(
        id: 1, name: "payments", criticalAlertIncidentSeverity: .sev1, createdAt: utc("2024-12-01T00:00:00Z"))
    #expect(
        AlertGrouping.decide(severity: .error, summary: "x", service: service, openIncidentID: 9) == .none)
    #expect(
        AlertGrouping.decide(severity: .critical, summary: "x", service: service, openIncidentID: 9)
            == .join(incidentID: 9))
    #expect(
        AlertGrouping.decide(severity: .critical, summary: "DB down", service: service, openIncidentID: nil)
            == .open(title: "DB down", severity: .sev1))
}

@Test func incidentTitlesFromAlertSummariesAreOneBoundedLine() {
    #expect(
        AlertGrouping.incidentTitle(fromSummary: "\n  High   error\trate on api \nmore detail")
            == "High error rate on api")
    #expect(AlertGrouping.incidentTitle(fromSummary: " \n ") == "Critical alert")
    let long = AlertGrouping.incidentTitle(fromSummary: String(repeating: "é", count: 500))
    #expect(long.unicodeScalars.count == Incident.maxTitleLength && long.hasSuffix("…"))
    #expect(Validator.textProblem(long, maxLength: Incident.maxTitleLength, singleLine: true) == nil)
}
