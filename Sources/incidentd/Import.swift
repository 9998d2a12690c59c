import App
import ArgumentParser

/// `incidentd import FILE` (SPEC §8): loads an export into an empty database, in one transaction.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load an export (GET /api/v1/export, plain or gzip) into an empty database.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The NDJSON file (.ndjson or .ndjson.gz).") var file: String

    func run() throws {
        try failing {
            let summary = try ImportCommand(configuration: database.configuration()).run(file: file)
            for (table, count) in summary.rows { print("\(table): \(count)") }
            print("imported \(summary.total) rows from \(file)")
        }
    }
}
