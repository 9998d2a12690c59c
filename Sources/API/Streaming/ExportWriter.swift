import Foundation
import HTTPServer
import Log
import Postgres
import Repositories

/// Writes the export (SPEC §8, §14) into a streamed body: a header line, every row of every
/// table (``ExportRepository``) as `{"type": "<table>", "data": {...}}`, and an `end` line with
/// the row count, which `incidentd import` requires, so a cut-off file is never taken for a
/// whole one. One REPEATABLE READ, READ ONLY transaction: one consistent snapshot. Memory is
/// a cursor's page and the stream's bounded buffer; a reader that takes nothing for
/// ``StreamSettings/writeTimeout`` ends the export.
struct ExportWriter: Sendable {
    /// The export format this version writes and `incidentd import` reads.
    static let format = 1
    /// The header line's type.
    static let headerType = "incidentd_export"

    let pool: PostgresPool
    let settings: StreamSettings
    let logger: Logger

    func write(to sink: HTTPStreamSink, gzip: Bool) {
        let compressor = gzip ? GzipStream() : nil
        var pending: [UInt8] = []
        // Lines are gathered into pieces of about 64 KiB before they go to the sink.
        func emit(_ bytes: [UInt8], force: Bool = false) throws {
            pending.append(contentsOf: bytes)
            guard force || pending.count >= 64 * 1024 else { return }
            let out = compressor.map { $0.compress(pending) + (force ? $0.finish() : []) } ?? pending
            pending.removeAll(keepingCapacity: true)
            if !out.isEmpty, !sink.write(out, timeout: settings.writeTimeout) { throw StreamEnded() }
        }
        var rows = 0
        do {
            try pool.withConnection { connection in
                try connection.withTransaction(isolation: .repeatableRead) { connection in
                    _ = try connection.query("SET TRANSACTION READ ONLY")
                    // Timestamps in one zone, so the same rows are the same bytes.
                    _ = try connection.query("SET LOCAL TimeZone = 'UTC'")
                    let export = ExportRepository(connection)
                    let header: [String: Any] = [
                        "format": Self.format, "schema_version": try export.schemaVersion(),
                        "exported_at": RFC3339.format(Date()),
                    ]
                    try emit(Self.line(type: Self.headerType, data: Self.json(header)))
                    for table in try export.tables() {
                        try export.rows(of: table) { lines in
                            for line in lines { try emit(Self.line(type: table.name, data: line)) }
                            rows += lines.count
                        }
                    }
                }
            }
            try emit(Self.line(type: "end", data: "{\"rows\":\(rows)}"), force: true)
            sink.finish()
            logger.info("export.finished", ["rows": .int(rows), "gzip": .bool(gzip)])
        } catch is StreamEnded {
            logger.warning("export.reader_gone", ["rows_sent": .int(rows)])
        } catch {
            // The body is under way: the connection is cut, and the file has no `end` line, which
            // import refuses.
            logger.error("export.failed", ["error": .string("\(error)"), "rows_sent": .int(rows)])
            sink.abort()
        }
    }

    /// `{"type":"<type>","data":<data>}` and a newline; `data` is one line of JSON.
    static func line(type: String, data: String) -> [UInt8] {
        Array("{\"type\":\"\(type)\",\"data\":\(data)}\n".utf8)
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            as: UTF8.self)
    }

    /// The reader went away or stopped reading.
    struct StreamEnded: Error {}
}
