import Domain
import Foundation
import Log
import Postgres
import Repositories

/// `incidentd read-only on|off`, on the same database as `serve` (embedded included).
public struct ReadOnlyCommands {
    public let configuration: Configuration

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Flips the switch and prints what it is now.
    public func set(enabled: Bool, reason: String, retryAfterSeconds: Int) throws {
        let wanted = try ReadOnlyState.validate(
            enabled: enabled, reason: reason, retryAfterSeconds: retryAfterSeconds)
        let state = try DatabaseCommand(configuration: configuration).withConnection { connection in
            try ReadOnlyModeRepository(connection).set(
                enabled: wanted.enabled, reason: wanted.reason, retryAfterSeconds: wanted.retryAfterSeconds,
                by: "cli", now: Date())
        }
        print("read-only \(state.enabled ? "on" : "off")\(state.reason.isEmpty ? "" : ": \(state.reason)")")
    }
}
