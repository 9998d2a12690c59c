import App
import ArgumentParser
import Foundation

/// `incidentd keys create|list|revoke`.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage API keys (works on the embedded database too).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (shown once).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "A name saying who or what holds the key.") var name = "cli"
        @Option(help: "viewer, responder or admin.") var role: String
        @Option(help: "Expiry as RFC 3339 (e.g. 2027-01-01T00:00:00Z).") var expires: String?

        func run() throws {
            var expiresAt: Date?
            if let expires {
                guard let date = ISO8601DateFormatter().date(from: expires) else {
                    throw ValidationError(
                        "--expires must be an RFC 3339 timestamp such as 2027-01-01T00:00:00Z")
                }
                expiresAt = date
            }
            try failing {
                try KeyCommands(configuration: database.configuration()).create(
                    name: name, role: role, expiresAt: expiresAt)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (no secrets).")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            try failing { try KeyCommands(configuration: database.configuration()).list() }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id; effective at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's id (see keys list).") var id: Int64

        func run() throws {
            try failing { try KeyCommands(configuration: database.configuration()).revoke(id: id) }
        }
    }
}

/// Runs `body`, turning errors other than usage errors into one plain line.
func failing(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ValidationError {
        throw error
    } catch {
        throw CommandFailure("\(error)")
    }
}
