import Foundation
import Testing

@testable import Domain

/// SPEC §11, §14 as pure rules: which step fires after which, when the next is due, and what a
/// policy may look like.
@Suite struct EscalationPlanTests {
    static let plan = EscalationPlan(
        steps: [
            .init(delaySeconds: 900, targets: [.init(.schedule, id: 1)]),
            .init(delaySeconds: 1800, targets: [.init(.user, id: 2)]),
            .init(delaySeconds: 3600, targets: [.init(.user, id: 3), .init(.channel, id: 4)]),
        ], repeat: 1)

    @Test func stepsCountFromOneLoopRepeatTimesThenTheEscalationIsExhausted() {
        var position = EscalationPosition.start
        var fired: [EscalationPosition] = []
        while case .fire(let next) = Self.plan.next(after: position) {
            fired.append(next)
            position = next
        }
        #expect(fired.map { [$0.step, $0.loop] } == [[1, 1], [2, 1], [3, 1], [1, 2], [2, 2], [3, 2]])
        #expect(Self.plan.next(after: position) == .exhaust)
        #expect(Self.plan.loops == 2)
    }

    @Test func theNextStepIsDueAfterTheStepsDelayOrAtOnceWhenItReachedNobody() {
        let now = Date(timeIntervalSince1970: 1_000)
        let second = EscalationPosition(step: 2, loop: 1)
        #expect(
            Self.plan.nextDue(afterFiring: second, pagedAnyone: true, at: now) == now.addingTimeInterval(1800)
        )
        #expect(Self.plan.nextDue(afterFiring: second, pagedAnyone: false, at: now) == now)
    }

    @Test func thePlanIsStoredAsTheAPISpellsIt() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(
            decoding: try encoder.encode(
                EscalationPlan(
                    steps: [.init(delaySeconds: 60, targets: [.init(.schedule, id: 7)])], repeat: 2)),
            as: UTF8.self)
        #expect(
            text == #"{"repeat":2,"steps":[{"delay_seconds":60,"targets":[{"id":7,"type":"schedule"}]}]}"#)
        #expect(try JSONDecoder().decode(EscalationPlan.self, from: Data(text.utf8)).repeat == 2)
    }

    @Test func everyBadFieldOfAPolicyIsNamedAtOnce() {
        func fields(_ input: EscalationPolicyInput) -> [String] {
            let result = Result { () throws(ValidationError) in try NewEscalationPolicy.validate(input) }
            guard case .failure(let error) = result else { return [] }
            return error.fields
        }
        typealias Step = EscalationPolicyInput.StepInput
        typealias Target = EscalationPolicyInput.TargetInput
        #expect(fields(.init(name: " ", steps: nil, repeat: -1)) == ["name", "steps", "repeat"])
        #expect(
            fields(
                .init(
                    name: "L",
                    steps: [
                        Step(delaySeconds: nil, targets: [Target(type: "user", id: 0)]),
                        Step(
                            delaySeconds: 604_801,
                            targets: [
                                Target(type: nil, id: 3), Target(type: "user", id: 4),
                                Target(type: "USER", id: 4),
                            ]),
                    ], repeat: 9))
                == [
                    "steps[0].delay_seconds", "steps[0].targets[0].id", "steps[1].delay_seconds",
                    "steps[1].targets[0].type", "steps[1].targets[2]",
                ])
        let tooMany = Array(
            repeating: Step(delaySeconds: 1, targets: [Target(type: "user", id: 1)]), count: 21)
        #expect(fields(.init(name: "L", steps: tooMany, repeat: nil)) == ["steps"])
        let valid = try? NewEscalationPolicy.validate(
            .init(
                name: " L1 ", steps: [Step(delaySeconds: 0, targets: [Target(type: "Schedule", id: 9)])],
                repeat: nil))
        #expect(valid?.name == "L1" && valid?.plan.repeat == 0)
        #expect(valid?.plan.steps.first?.targets == [.init(.schedule, id: 9)])
    }

    @Test func onlySev1AndSev2Page() {
        #expect(IncidentSeverity.allCases.filter(\.pages) == [.sev1, .sev2])
    }
}
