import Domain
import Postgres

/// SQL for `GET /api/v1/export` and `incidentd import` (SPEC §8, §14): every table of the
/// schema, found in the catalog (so a table a later migration adds is exported without a
/// change here), rows as `row_to_json`, read through a cursor so memory stays constant.
public struct ExportRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Not exported: the migration runner's own bookkeeping (the importing database has its own).
    public static let skippedTables: Set<String> = ["schema_migrations"]
    /// Tables a migration fills with their one row (the read-only switch): an import replaces
    /// that row instead of finding the database "not empty".
    public static let seededTables: Set<String> = ["read_only_mode"]

    /// Every table of the current schema but ``skippedTables``, each after the tables it
    /// references. Columns of type `xid8` (the event log's positions, ADR 0005: meaningful only in
    /// the cluster that wrote them; an import takes its own) and generated columns are left out.
    public func tables() throws -> [ExportTable] {
        let rows = try connection.query(
            """
            SELECT c.relname AS name,
                   ARRAY(SELECT a.attname::text FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                           AND a.attgenerated = '' AND a.atttypid <> 'xid8'::regtype
                         ORDER BY a.attnum) AS columns,
                   ARRAY(SELECT a.attname::text FROM pg_index i
                         JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
                         WHERE i.indrelid = c.oid AND i.indisprimary ORDER BY k.n) AS primary_key,
                   ARRAY(SELECT a.attname::text FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                           AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL
                         ORDER BY a.attnum) AS sequence_columns,
                   ARRAY(SELECT DISTINCT r.relname::text FROM pg_constraint f
                         JOIN pg_class r ON r.oid = f.confrelid
                         WHERE f.conrelid = c.oid AND f.contype = 'f' AND f.confrelid <> c.oid) AS refs
            FROM pg_class c
            WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
              AND NOT c.relispartition
            ORDER BY c.relname
            """)
        var pending: [(table: ExportTable, refs: Set<String>)] = try rows.compactMap { row in
            let name: String = try row.decode("name")
            guard !Self.skippedTables.contains(name) else { return nil }
            let table = ExportTable(
                name: name, columns: try row.decode("columns"), primaryKey: try row.decode("primary_key"),
                sequenceColumns: try row.decode("sequence_columns"))
            return (table, Set(try row.decode("refs", as: [String].self)))
        }
        // Referenced tables first; ties by name, so the order is the same everywhere.
        var ordered: [ExportTable] = []
        var placed = Set<String>()
        while !pending.isEmpty {
            guard
                let next = pending.firstIndex(where: {
                    $0.refs.subtracting(Self.skippedTables).isSubset(of: placed)
                })
            else {
                throw ValidationError(
                    field: "schema",
                    message: "tables reference each other in a cycle: \(pending.map(\.table.name).sorted())")
            }
            ordered.append(pending[next].table)
            placed.insert(pending[next].table.name)
            pending.remove(at: next)
        }
        return ordered
    }

    /// Hands `table`'s rows to `body` as JSON object texts, 500 at a time, in primary-key order,
    /// through a cursor (the caller's transaction; its snapshot is the export's).
    public func rows(of table: ExportTable, _ body: ([String]) throws -> Void) throws {
        var query: PostgresQuery =
            "DECLARE incidentd_export NO SCROLL CURSOR FOR SELECT row_to_json(r)::text AS line FROM (SELECT "
        query.append(Self.list(table.columns))
        query.append(" FROM \(identifier: table.name)")
        if !table.primaryKey.isEmpty {
            query.append(" ORDER BY ")
            query.append(Self.list(table.primaryKey))
        }
        query.append(") r")
        _ = try connection.query(query)
        while true {
            let lines: [String] = try connection.query("FETCH 500 FROM incidentd_export").map {
                try $0.decode("line")
            }
            if !lines.isEmpty { try body(lines) }
            if lines.count < 500 { break }
        }
        _ = try connection.query("CLOSE incidentd_export")
    }

    /// The version of the newest migration applied: an export names it, an import requires it.
    public func schemaVersion() throws -> Int {
        let row = try connection.query(
            "SELECT coalesce(max(version), 0)::int8 AS version FROM schema_migrations"
        )
        .first
        return Int(try row?.decode("version", as: Int64.self) ?? 0)
    }

    /// Identifiers, quoted, comma-separated.
    static func list(_ names: [String]) -> PostgresQuery {
        PostgresQuery.joined(names.map { "\(identifier: $0)" }, separator: ", ")
    }
}
