import Domain
import Postgres

/// SQL for `incidentd import` (SPEC §8, §14): rows of an export written back with their ids
/// and refs, in the caller's one transaction, then every sequence moved past the ids it holds.
public struct ImportRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The tables that hold rows, ``ExportRepository/seededTables`` aside: an import goes only
    /// into a database with none.
    public func tablesWithRows(_ tables: [ExportTable]) throws -> [String] {
        try tables.filter { !ExportRepository.seededTables.contains($0.name) }.filter { table in
            try connection.query("SELECT EXISTS (SELECT 1 FROM \(identifier: table.name)) AS present").first?
                .decode("present") ?? false
        }.map(\.name)
    }

    /// Empties a table a migration seeded, before the export's rows replace its row.
    public func clearSeeded(_ table: ExportTable) throws {
        guard ExportRepository.seededTables.contains(table.name) else { return }
        _ = try connection.query("DELETE FROM \(identifier: table.name)")
    }

    /// Inserts `rows` (JSON object texts from an export) into `table`, every exported column as
    /// it was. A key the export does not have takes its column's default.
    public func insert(_ rows: [String], into table: ExportTable) throws {
        guard !rows.isEmpty else { return }
        let array = "[" + rows.joined(separator: ",") + "]"
        var query: PostgresQuery = "INSERT INTO \(identifier: table.name) ("
        query.append(ExportRepository.list(table.columns))
        query.append(") SELECT ")
        query.append(ExportRepository.list(table.columns))
        query.append(" FROM json_populate_recordset(NULL::\(identifier: table.name), \(array)::json)")
        _ = try connection.query(query)
    }

    /// Moves each sequence past the largest id its table now holds, so new rows never collide
    /// with imported ones.
    public func advanceSequences(_ tables: [ExportTable]) throws {
        for table in tables {
            for column in table.sequenceColumns {
                _ = try connection.query(
                    """
                    SELECT setval(pg_get_serial_sequence(\(table.name), \(column)),
                                  coalesce(max(\(identifier: column)), 1), max(\(identifier: column)) IS NOT NULL)
                    FROM \(identifier: table.name)
                    """)
            }
        }
    }
}
