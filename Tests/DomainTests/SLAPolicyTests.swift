import Domain
import Foundation
import Testing

@Test func defaultAckWindowsFollowTheSeeds() {
    let detected = utc("2024-12-13T14:00:00Z")
    let policy = SLAPolicy.standard
    #expect(policy.ackDue(detectedAt: detected, severity: .sev1) == utc("2024-12-13T14:15:00Z"))
    #expect(policy.ackDue(detectedAt: detected, severity: .sev2) == utc("2024-12-13T14:30:00Z"))
    #expect(policy.ackDue(detectedAt: detected, severity: .sev3) == utc("2024-12-13T18:00:00Z"))
    #expect(policy.ackDue(detectedAt: detected, severity: .sev4) == utc("2024-12-14T14:00:00Z"))
}

@Test func configuredWindowsOverrideOnlyWhatIsGiven() {
    let policy = SLAPolicy(ackWindows: [.sev1: 5 * 60], postMortemWindow: 24 * 3600)
    #expect(policy.ackWindow(for: .sev1) == 300)
    #expect(policy.ackWindow(for: .sev2) == 1800)
    #expect(
        policy.postMortemDue(resolvedAt: utc("2024-12-13T14:00:00Z"), severity: .sev2)
            == utc("2024-12-14T14:00:00Z"))
}

@Test func breachIsStrictlyAfterTheDeadline() {
    let policy = SLAPolicy.standard
    let due = utc("2024-12-13T14:15:00Z")
    #expect(!policy.isBreached(ackDueAt: due, acknowledgedAt: nil, now: due))
    #expect(policy.isBreached(ackDueAt: due, acknowledgedAt: nil, now: due.addingTimeInterval(1)))
    #expect(
        !policy.isBreached(
            ackDueAt: due, acknowledgedAt: utc("2024-12-13T14:10:00Z"), now: utc("2024-12-13T20:00:00Z")))
    #expect(
        policy.isBreached(
            ackDueAt: due, acknowledgedAt: utc("2024-12-13T14:16:00Z"), now: utc("2024-12-13T20:00:00Z")))
    // Resolved in time without an explicit ack: no breach, whatever the clock says now.
    #expect(
        !policy.isBreached(
            ackDueAt: due, acknowledgedAt: nil, resolvedAt: utc("2024-12-13T14:12:00Z"),
            now: utc("2024-12-14T00:00:00Z")))
}

@Test func postMortemIsDue48HoursAfterResolutionForSev1And2Only() {
    let resolved = utc("2024-12-13T14:49:00Z")
    let policy = SLAPolicy.standard
    #expect(policy.postMortemDue(resolvedAt: resolved, severity: .sev1) == utc("2024-12-15T14:49:00Z"))
    #expect(policy.postMortemDue(resolvedAt: resolved, severity: .sev2) == utc("2024-12-15T14:49:00Z"))
    #expect(policy.postMortemDue(resolvedAt: resolved, severity: .sev3) == nil)
    #expect(policy.postMortemDue(resolvedAt: resolved, severity: .sev4) == nil)
}

@Test(arguments: [("90s", 90.0), ("15m", 900), ("4h", 14400), ("1d", 86400), ("900", 900), (" 30M ", 1800)])
func durationsParse(text: String, seconds: Double) {
    #expect(SLAPolicy.parseDuration(text) == seconds)
}

@Test(arguments: ["", "m", "0m", "-5m", "1.5h", "15 m", "15w", "9999999999s"])
func badDurationsAreRefused(text: String) {
    #expect(SLAPolicy.parseDuration(text) == nil)
}

@Test func metricTargetsMatchSeed003() {
    #expect(MetricTargets.mttd == 300 && MetricTargets.mtta == 900 && MetricTargets.mttr == 3600)
    #expect(MetricTargets.postMortemCompletion == 1.0)
    #expect(MetricTargets.postMortemSeverities == [.sev1, .sev2])
    #expect(MetricTargets.meets(299, below: MetricTargets.mttd) == true)
    #expect(MetricTargets.meets(300, below: MetricTargets.mttd) == false)
    #expect(MetricTargets.meets(nil, below: MetricTargets.mttd) == nil)
    #expect(MetricTargets.meetsCompletion(0.5) == false && MetricTargets.meetsCompletion(1) == true)
}
