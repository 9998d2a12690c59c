import App
import ArgumentParser

/// `incidentd read-only on|off` (SPEC §12): flips the switch every server process follows.
struct ReadOnly: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read-only",
        abstract: "Refuse (on) or accept (off) writes on every server process, within a second.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "on or off.") var state: String
    @Option(help: "Why, shown in every refusal.") var reason = ""
    @Option(name: .customLong("retry-after"), help: "Seconds clients are told to wait (1-86400).")
    var retryAfter = 60

    func run() throws {
        let enabled: Bool
        switch state.lowercased() {
        case "on": enabled = true
        case "off": enabled = false
        default: throw ValidationError("the state must be on or off")
        }
        try failing {
            try ReadOnlyCommands(configuration: database.configuration()).set(
                enabled: enabled, reason: reason, retryAfterSeconds: retryAfter)
        }
    }
}
