import Domain
import Foundation
import Testing

/// SPEC §12, §14 heartbeats: what a body may say, and the states a stored heartbeat shows.
@Suite struct HeartbeatTests {
    private func issues(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return []
        } catch let error as ValidationError {
            return error.fields
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func aValidBodyIsTrimmedAndDefaulted() throws {
        let heartbeat = try NewHeartbeat.validate(
            name: " nightly-backup ", service: "db", intervalSeconds: 86_400, graceSeconds: nil,
            severity: nil,
            enabled: nil)
        #expect(heartbeat.name == "nightly-backup")
        #expect(heartbeat.service == .name("db"))
        #expect(heartbeat.graceSeconds == 0 && heartbeat.severity == .critical && heartbeat.enabled)
        let byID = try NewHeartbeat.validate(
            name: "w", service: "42", intervalSeconds: 1, graceSeconds: 0, severity: "WARNING", enabled: false
        )
        #expect(byID.service == .id(42) && byID.severity == .warning && !byID.enabled)
    }

    @Test func everyBadFieldIsNamedAtOnce() {
        let fields = issues {
            _ = try NewHeartbeat.validate(
                name: "bad name", service: " ", intervalSeconds: 0, graceSeconds: -1, severity: "page",
                enabled: nil)
        }
        #expect(fields == ["name", "service", "interval_seconds", "grace_seconds", "severity"])
        #expect(
            issues {
                _ = try NewHeartbeat.validate(
                    name: "x", service: "db", intervalSeconds: nil, graceSeconds: nil, severity: nil,
                    enabled: nil)
            } == ["interval_seconds"])
        #expect(
            issues {
                _ = try NewHeartbeat.validate(
                    name: "x", service: "db", intervalSeconds: Heartbeat.maxSeconds + 1,
                    graceSeconds: Heartbeat.maxSeconds + 1, severity: nil, enabled: nil)
            } == ["interval_seconds", "grace_seconds"])
    }

    @Test func aPatchChangesOnlyWhatItNamesAndNeverTheName() throws {
        let patch = try HeartbeatPatch.validate(
            name: "backup", currentName: "backup", service: nil, intervalSeconds: 60, graceSeconds: nil,
            severity: nil, enabled: false)
        #expect(patch == HeartbeatPatch(intervalSeconds: 60, enabled: false))
        #expect(
            issues {
                _ = try HeartbeatPatch.validate(
                    name: "renamed", currentName: "backup", service: nil, intervalSeconds: 0,
                    graceSeconds: nil,
                    severity: "loud", enabled: nil)
            } == ["name", "interval_seconds", "severity"])
    }

    @Test func stateFollowsEnabledExpiryAndPingsSinceArming() {
        let armed = Date(timeIntervalSince1970: 1_000_000)
        let before = armed.addingTimeInterval(-5)
        let after = armed.addingTimeInterval(5)
        #expect(HeartbeatState.of(enabled: true, armedAt: armed, lastPingAt: nil, expiredAt: nil) == .new)
        // A ping recorded while it was disabled does not make a re-enabled heartbeat healthy.
        #expect(HeartbeatState.of(enabled: true, armedAt: armed, lastPingAt: before, expiredAt: nil) == .new)
        #expect(
            HeartbeatState.of(enabled: true, armedAt: armed, lastPingAt: after, expiredAt: nil) == .healthy)
        #expect(
            HeartbeatState.of(enabled: true, armedAt: armed, lastPingAt: after, expiredAt: after) == .expired)
        #expect(
            HeartbeatState.of(enabled: false, armedAt: armed, lastPingAt: after, expiredAt: after)
                == .disabled)
    }

    @Test func theExpiryAlertsDedupKeyNamesTheHeartbeat() {
        #expect(Heartbeat.dedupKey(name: "nightly-backup") == "heartbeat:nightly-backup")
        #expect(ServiceReference(text: "17") == .id(17))
        #expect(ServiceReference(text: "payments") == .name("payments"))
        #expect(ServiceReference(text: "0") == .name("0"))
    }
}
