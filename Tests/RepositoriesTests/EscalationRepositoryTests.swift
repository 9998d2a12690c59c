import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// Issue 16, SPEC §11: escalation state in rows — started with the incident, fired step by step
/// by worker passes (targets resolved then, event + entry + pages in one transaction), moving on
/// at once past nobody, looping `repeat` times, exhausted after the last delay.
@Suite struct EscalationRepositoryTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28, Ben on call

    @Test func aSev1IncidentStartsItsServicesPolicyAndThePassPagesEachContactMethodOfStepOne() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        try fixture.policy([
            (60, [.init(.user, id: fixture.ana)]), (60, [.init(.schedule, id: fixture.primary)]),
        ])
        let incident = try fixture.incident(now: Self.start)
        #expect(
            incident.escalation == EscalationSummary(state: .active, step: 0, loop: 1, nextStepAt: Self.start)
        )

        let pass = try fixture.pass(at: Self.start)
        #expect(pass.fired.map(\.position) == [EscalationPosition(step: 1, loop: 1)])
        let pages = try fixture.pages(incident.id)
        #expect(pages.count == 2)  // Ana's email and webhook
        #expect(
            pages.allSatisfy {
                $0.page?.userID == fixture.ana && $0.page?.step == 1 && $0.contactMethodID != nil
            })
        let event = try #require(try fixture.escalatedEvents(incident.id).first)
        #expect(pages.allSatisfy { $0.eventID == event.id && $0.state == .pending })
        #expect(event.data["step"] == .integer(1) && event.data["loop"] == .integer(1))
        #expect(
            event.data["paged"]
                == .array([
                    .object([
                        "id": .integer(fixture.ana), "name": "Ana",
                        "contact_methods": .array(["email", "webhook"]),
                    ])
                ]))
        let entry = try #require(try fixture.timeline(incident.id).last)
        #expect(entry.kind == .escalated)
        #expect(entry.body == "Step 1 of Platform (loop 1): paged Ana (email, webhook)")
        let escalation = try #require(try fixture.escalation(incident.id))
        #expect(escalation.position == EscalationPosition(step: 1, loop: 1))
        #expect(escalation.nextStepAt == Self.start.addingTimeInterval(60))

        // Not due yet: nothing happens; due: step 2 pages whoever the schedule has on call then.
        #expect(try fixture.pass(at: Self.start.addingTimeInterval(59)).claimed == 0)
        let second = try fixture.pass(at: Self.start.addingTimeInterval(60.2))
        #expect(second.fired.map(\.position.step) == [2])
        let stepTwo = try fixture.pages(incident.id).filter { $0.page?.step == 2 }
        #expect(stepTwo.map(\.page?.userID) == [fixture.ben])
    }

    @Test func aStepThatReachesNobodyMovesOnAtOnceAndSaysNoOneOnCall() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        // Cy has no contact method: step 1 reaches nobody; step 2 is due at once.
        try fixture.policy([(600, [.init(.user, id: fixture.cy)]), (600, [.init(.user, id: fixture.ben)])])
        let incident = try fixture.incident(now: Self.start)
        let first = try fixture.pass(at: Self.start)
        #expect(first.fired.map(\.reachedNobody) == [true])
        #expect(try fixture.escalation(incident.id)?.nextStepAt == Self.start)
        let second = try fixture.pass(at: Self.start)
        #expect(second.fired.map(\.position.step) == [2])
        let bodies = try fixture.timeline(incident.id).filter { $0.kind == .escalated }.map(\.body)
        #expect(
            bodies == [
                "Step 1 of Platform (loop 1): no one on call, moving on",
                "Step 2 of Platform (loop 1): paged Ben (email)",
            ])
        #expect(try fixture.pages(incident.id).map(\.page?.userID) == [fixture.ben])
    }

    @Test func stepsRepeatThenTheEscalationIsExhaustedWhenTheLastDelayPasses() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        try fixture.policy(
            [(10, [.init(.user, id: fixture.ana)]), (20, [.init(.user, id: fixture.ben)])], repeat: 1)
        let incident = try fixture.incident(now: Self.start)
        var now = Self.start
        var fired: [EscalationPosition] = []
        for _ in 0..<6 {
            let pass = try fixture.pass(at: now)
            fired += pass.fired.map(\.position)
            guard let next = try fixture.escalation(incident.id)?.nextStepAt else { break }
            now = next
        }
        #expect(
            fired == [
                .init(step: 1, loop: 1), .init(step: 2, loop: 1), .init(step: 1, loop: 2),
                .init(step: 2, loop: 2),
            ])
        let escalation = try #require(try fixture.escalation(incident.id))
        #expect(escalation.state == .exhausted && escalation.nextStepAt == nil)
        // Exhausted only once the last step's 20 s had passed: 10 + 20 + 10 + 20.
        #expect(escalation.stoppedAt == Self.start.addingTimeInterval(60))
        #expect(
            try fixture.timeline(incident.id).last?.body
                == "Platform exhausted: nobody acknowledged after 2 passes of 2 steps")
        #expect(try fixture.pages(incident.id).count == 6)  // Ana 2 + Ben 1, twice
    }

    @Test func sev3IncidentsPageNobodyAndRaisingOneToSev2StartsItsPolicy() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        try fixture.policy([(60, [.init(.user, id: fixture.ana)])])
        let incident = try fixture.incident(severity: "SEV3", now: Self.start)
        #expect(incident.escalation == nil)
        #expect(try fixture.pass(at: Self.start).claimed == 0)
        let raised = try fixture.pool.withTransaction { connection in
            try IncidentRepository(connection).update(
                id: incident.id,
                patch: try IncidentPatch.validate(
                    title: nil, severity: "SEV2", summary: nil, impact: nil, commander: nil), actor: "alice",
                policy: fixture.sla,
                now: Self.start)
        }
        #expect(raised.incident.escalation?.state == .active)
        #expect(try fixture.pass(at: Self.start).fired.count == 1)
    }

    @Test func aSecondPageOfOneStepForOnePersonAndMethodIsRefusedByTheUniqueKey() throws {
        let fixture = try EscalationRepositoryFixture()
        defer { fixture.pool.close() }
        try fixture.policy([(60, [.init(.user, id: fixture.ben)])])
        let incident = try fixture.incident(now: Self.start)
        try fixture.pass(at: Self.start)
        let page = try #require(try fixture.pages(incident.id).first)
        #expect(throws: PostgresError.self) {
            try fixture.pool.withConnection { connection in
                try connection.execute(
                    """
                    INSERT INTO deliveries (event_id, contact_method_id, page_user_id, page_incident_id, page_step, page_loop)
                    VALUES (\(page.eventID), \(page.contactMethodID), \(fixture.ben), \(incident.id), 1, 1)
                    """)
            }
        }
    }

    @Test func twoProcessesPassingAtOnceFireEachStepOnce() throws {
        let fixture = try EscalationRepositoryFixture(maxConnections: 8)
        defer { fixture.pool.close() }
        try fixture.policy([(60, [.init(.user, id: fixture.ana), .init(.schedule, id: fixture.primary)])])
        let incidents = try (0..<30).map { _ in try fixture.incident(now: Self.start) }
        let fired = LockedCount()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<10 {
                if let pass = try? fixture.pass(at: Self.start, limit: 3) { fired.add(pass.fired.count) }
            }
        }
        #expect(fired.value == 30)
        for incident in incidents {
            #expect(try fixture.pages(incident.id).count == 3)  // Ana ×2, Ben ×1
        }
    }
}

/// A counter threads add to.
final class LockedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add(_ value: Int) { lock.withLock { count += value } }
    var value: Int { lock.withLock { count } }
}
