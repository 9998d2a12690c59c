import App
import ArgumentParser
import Foundation

/// The `incidentd` command: a thin shell over the App module.
@main
struct Incidentd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidentd",
        abstract: "Self-hosted incident management: alerts, incidents, timelines, post-mortems.",
        subcommands: [Serve.self, Migrate.self, Keys.self, ReadOnly.self, Import.self, Version.self],
        defaultSubcommand: Serve.self)
}

/// Options every subcommand that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: "PostgreSQL URL (env DATABASE_URL). Unset: the embedded cluster.")
    var databaseURL: String?

    @Option(
        name: .customLong("data-dir"),
        help: """
            Folder of the embedded PostgreSQL (env INCIDENTD_DATA_DIR). Default: /var/lib/incidentd as \
            root, else $XDG_DATA_HOME/incidentd or ~/.local/share/incidentd.
            """)
    var dataDirectory: String?

    @Option(
        name: .customLong("migrations-dir"),
        help: "Folder of NNNN_name.sql files (env INCIDENTD_MIGRATIONS_DIR).")
    var migrationsDirectory: String?

    /// The configuration: defaults, then environment, then these flags.
    func configuration() throws -> Configuration {
        var configuration = Configuration()
        do {
            try configuration.apply(environment: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError(error.description)
        }
        if let databaseURL { configuration.databaseURL = databaseURL }
        if let dataDirectory { configuration.dataDirectory = Configuration.absolute(dataDirectory) }
        if let migrationsDirectory { configuration.migrationsDirectory = migrationsDirectory }
        return configuration
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("incidentd \(IncidentdVersion.current)")
    }
}
