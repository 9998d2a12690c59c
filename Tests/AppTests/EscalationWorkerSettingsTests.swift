import App
import Testing

/// `INCIDENTD_ESCALATION_*` (docs/OPERATIONS.md): read from the environment, refused with a
/// message naming the variable when out of range.
@Suite struct EscalationWorkerSettingsTests {
    @Test func theEnvironmentSetsThePollTheBatchAndTheThreadsWithinTheirRanges() throws {
        let defaults = try EscalationWorker.Settings(environment: [:])
        #expect(defaults.pollInterval == 1 && defaults.batchSize == 200 && defaults.threads == 2)
        let set = try EscalationWorker.Settings(environment: [
            "INCIDENTD_ESCALATION_POLL_MS": "250", "INCIDENTD_ESCALATION_BATCH": "50",
            "INCIDENTD_ESCALATION_WORKERS": "3",
        ])
        #expect(set.pollInterval == 0.25 && set.batchSize == 50 && set.threads == 3)
        for (name, value) in [
            ("INCIDENTD_ESCALATION_POLL_MS", "1500"), ("INCIDENTD_ESCALATION_BATCH", "0"),
            ("INCIDENTD_ESCALATION_WORKERS", "many"),
        ] {
            #expect {
                _ = try EscalationWorker.Settings(environment: [name: value])
            } throws: { error in
                "\(error)".contains(name)
            }
        }
    }
}
