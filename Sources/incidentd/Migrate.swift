import App
import ArgumentParser

/// `incidentd migrate [status]`: apply pending migrations, or list applied and pending ones.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending SQL migrations, or show their status.",
        subcommands: [Apply.self, Status.self],
        defaultSubcommand: Apply.self)

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply", abstract: "Apply pending migrations.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                try MigrationCommands(configuration: database.configuration()).apply()
            } catch let error as ValidationError {
                throw error
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List applied and pending migrations.")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                try MigrationCommands(configuration: database.configuration()).status()
            } catch let error as ValidationError {
                throw error
            } catch {
                throw CommandFailure("\(error)")
            }
        }
    }
}
