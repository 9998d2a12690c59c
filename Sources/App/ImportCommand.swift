import Foundation
import Postgres
import Repositories

/// `incidentd import FILE` (SPEC §8, §14): loads an export (`GET /api/v1/export`, plain or
/// gzip) into a migrated database that holds no rows (it migrates first when needed), in one
/// transaction: ids and refs as they were, API keys with their hashes (old keys keep working),
/// every sequence moved past the ids imported. Anything wrong — a database with rows, another
/// schema version, a line that is not an export's, a file without its `end` line or with a
/// wrong row count — refuses the whole file: nothing is written.
public struct ImportCommand {
    public let configuration: Configuration
    /// Rows per INSERT statement.
    static let batchRows = 500

    public init(configuration: Configuration) { self.configuration = configuration }

    /// What was imported: rows per table, in the order they came.
    public struct Summary: Sendable {
        public var rows: [(table: String, count: Int)] = []
        public var total: Int { rows.reduce(0) { $0 + $1.count } }
    }

    public func run(file path: String) throws -> Summary {
        let reader = try ExportFileReader(path: path)
        return try DatabaseCommand(configuration: configuration).withConnection { connection in
            try connection.withTransaction { connection in try load(reader, into: connection) }
        }
    }

    func load(_ reader: ExportFileReader, into connection: PostgresConnection) throws -> Summary {
        let export = ExportRepository(connection)
        let tables = try export.tables()
        let byName = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
        let repository = ImportRepository(connection)
        let full = try repository.tablesWithRows(tables)
        guard full.isEmpty else {
            throw ImportError(
                "the database is not empty (\(full.joined(separator: ", ")) hold rows): import goes into an empty one only"
            )
        }
        try checkHeader(try reader.nextLine(), schemaVersion: try export.schemaVersion())
        var summary = Summary()
        var batch: [String] = []
        var current: ExportTable?
        func flush() throws {
            guard let table = current, !batch.isEmpty else { return }
            do {
                try repository.insert(batch, into: table)
            } catch let error as PostgresError {
                throw ImportError(
                    "PostgreSQL refused the rows of \(table.name) up to line \(reader.lineNumber) (a row missing or changed?): \(error.message)"
                )
            }
            batch.removeAll(keepingCapacity: true)
        }
        while let line = try reader.nextLine() {
            let (type, data) = try ExportLine.parse(line, number: reader.lineNumber)
            if type == "end" {
                try flush()
                try ExportLine.checkEnd(data, rows: summary.total, number: reader.lineNumber)
                guard try reader.nextLine() == nil else {
                    throw ImportError("line \(reader.lineNumber): nothing may follow the end line")
                }
                try repository.advanceSequences(tables)
                return summary
            }
            guard let table = byName[type] else {
                throw ImportError("line \(reader.lineNumber): \(type) is not a table of this database")
            }
            if table != current {
                try flush()
                guard !summary.rows.contains(where: { $0.table == type }) else {
                    throw ImportError("line \(reader.lineNumber): the rows of \(type) are not together")
                }
                try repository.clearSeeded(table)
                current = table
                summary.rows.append((type, 0))
            }
            batch.append(data)
            summary.rows[summary.rows.count - 1].count += 1
            if batch.count >= Self.batchRows { try flush() }
        }
        throw ImportError(
            "the file ends after line \(reader.lineNumber) without its end line: it was cut short")
    }

    private func checkHeader(_ line: [UInt8]?, schemaVersion: Int) throws {
        guard let line else { throw ImportError("the file is empty") }
        let (type, data) = try ExportLine.parse(line, number: 1)
        guard type == "incidentd_export",
            let header = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any],
            let format = header["format"] as? Int, let version = header["schema_version"] as? Int
        else { throw ImportError("line 1 is not the header of an incidentd export") }
        guard format == 1 else {
            throw ImportError("export format \(format) is not one this version reads (1)")
        }
        guard version == schemaVersion else {
            throw ImportError(
                "the export was made at schema version \(version), this database is at \(schemaVersion): import it with the incidentd version that made it"
            )
        }
    }
}
