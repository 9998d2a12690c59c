import Domain
import Foundation
import Testing

/// A component's status over time (issue 19, SPEC §13–§14), from its sources' intervals.
@Suite struct ComponentStatusHistoryTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    func at(_ seconds: TimeInterval) -> Date { t0.addingTimeInterval(seconds) }

    @Test func anIncidentHoldsItsSeverityFromPublicationToResolution() {
        let intervals = ComponentStatusHistory.incidentIntervals(
            publishedAt: at(100), resolvedAt: at(400), current: .sev1,
            severityChanges: [(at(50), .sev3, .sev2), (at(200), .sev2, .sev1)])
        #expect(
            intervals == [
                StatusInterval(start: at(100), end: at(200), status: .partialOutage),
                StatusInterval(start: at(200), end: at(400), status: .majorOutage),
            ])
        let history = ComponentStatusHistory(intervals: intervals)
        #expect(history.status(at: at(99)) == .operational)
        #expect(history.status(at: at(150)) == .partialOutage)
        #expect(history.status(at: at(400)) == .operational)
    }

    @Test func theWorstSourceWinsAndAClearedOverrideHoldsNothing() {
        let overrides = ComponentStatusHistory.overrideIntervals([
            (at(0), .underMaintenance), (at(100), nil), (at(300), .majorOutage),
        ])
        #expect(overrides.count == 2)
        let incident = StatusInterval(start: at(50), end: nil, status: .degradedPerformance)
        let history = ComponentStatusHistory(intervals: overrides + [incident])
        #expect(history.status(at: at(10)) == .underMaintenance)
        #expect(history.status(at: at(60)) == .degradedPerformance)
        #expect(history.status(at: at(150)) == .degradedPerformance)
        #expect(history.status(at: at(301)) == .majorOutage)
    }

    @Test func uptimeCountsMajorOutagesFullyAndPartialOnesAtThreeTenths() {
        let history = ComponentStatusHistory(intervals: [
            StatusInterval(start: at(0), end: at(100), status: .majorOutage),
            StatusInterval(start: at(100), end: at(300), status: .partialOutage),
            StatusInterval(start: at(500), end: at(600), status: .degradedPerformance),
        ])
        // Down: 100 + 200 × 0.3 = 160 of 1,000 seconds.
        #expect(abs(history.uptimePercent(from: at(0), to: at(1_000)) - 84) < 1e-9)
        #expect(history.uptimePercent(from: at(400), to: at(1_000)) == 100)
        #expect(history.uptimePercent(from: at(5), to: at(5)) == 100)
    }
}
