import API
import App
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// `GET /api/v1/export` and `incidentd import` (SPEC §8, §14) between real databases.
@Suite struct ExportImportTests {
    /// A database with a bit of everything: services, keys, alerts, an incident with its
    /// timeline and a note, a post-mortem, a channel and its deliveries, events.
    static func populate(_ app: TestApp) throws {
        func ok(_ method: String, _ path: String, _ json: String) throws -> [String: Any] {
            let response = try app.admin(method, path, json: json)
            try #require((200..<300).contains(response.status), "\(method) \(path): \(response.bodyText)")
            return response.json
        }
        _ = try ok("POST", "/api/v1/services", #"{"name":"payments"}"#)
        _ = try ok(
            "POST", "/api/v1/channels",
            #"{"name":"hooks","kind":"webhook","url":"https://hooks.example.com/x","events":["*"]}"#)
        let critical = try ok(
            "POST", "/api/v1/alerts",
            #"{"service":"payments","source":"prom","summary":"5xx \"spike\" ünïcode","severity":"critical","details":{"p99_ms":1234.5,"big":9007199254740993}}"#
        )
        _ = try ok(
            "POST", "/api/v1/alerts",
            #"{"service":"api","source":"prom","summary":"disk","severity":"warning"}"#)
        let incident = try #require(critical["incident_ref"] as? String ?? critical["incident"] as? String)
        _ = try ok("POST", "/api/v1/incidents/\(incident)/timeline", #"{"body":"looking","actor":"ann"}"#)
        _ = try ok(
            "POST", "/api/v1/incidents/\(incident)/resolve", #"{"by":"ann","resolution":"rolled back"}"#)
        _ = try ok("POST", "/api/v1/incidents/\(incident)/postmortem", "{}")
    }

    /// The export's lines, the header left out (it says when it was made).
    static func export(_ app: TestApp, gzip: Bool = false) throws -> (
        lines: [String], response: RawHTTPResponse
    ) {
        let response = try app.admin(
            "GET", "/api/v1/export", headers: gzip ? [("Accept-Encoding", "gzip")] : [])
        try #require(response.status == 200, "\(response.bodyText)")
        let lines = response.bodyText.split(separator: "\n").map(String.init)
        return (lines, response)
    }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let path = NSTemporaryDirectory() + "incidentd-\(UUID().uuidString)-\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func importCommand(_ database: PostgresTestDatabase) -> ImportCommand {
        var configuration = Configuration()
        configuration.databaseURL = database.conninfo
        configuration.migrationsDirectory = TestDatabase.migrationsDirectory
        return ImportCommand(configuration: configuration)
    }

    /// Whether every table of `database` is empty (the seeded read-only row aside).
    static func isEmpty(_ database: PostgresTestDatabase) throws -> Bool {
        let connection = try database.connect()
        defer { connection.close() }
        return try ImportRepository(connection).tablesWithRows(ExportRepository(connection).tables()).isEmpty
    }

    @Test func exportThenImportIntoAnEmptyDatabaseThenExportAgainIsIdentical() throws {
        let app = try TestApp()
        defer { app.stop() }
        try Self.populate(app)
        let (lines, plain) = try Self.export(app)
        #expect(plain.headers["Content-Type"] == "application/x-ndjson")
        #expect(plain.headers["Transfer-Encoding"] == "chunked")
        #expect(lines.first?.hasPrefix(#"{"type":"incidentd_export","data":{"#) == true)
        #expect(lines.last == #"{"type":"end","data":{"rows":\#(lines.count - 2)}}"#)
        let types = Set(lines.compactMap { $0.split(separator: "\"").dropFirst(3).first.map(String.init) })
        for table in [
            "services", "api_keys", "alerts", "incidents", "timeline_entries", "postmortems", "events",
            "channels", "deliveries", "audit_log",
        ] {
            #expect(types.contains(table), "no \(table) rows in the export")
        }
        // The secret of no key is in it; hashes are (old keys keep working).
        #expect(!plain.bodyText.contains(app.adminKey))

        // The gzip export of the same data, imported.
        let (_, zipped) = try Self.export(app, gzip: true)
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        #expect(zipped.body.starts(with: [0x1F, 0x8B]))
        let file = try Self.write(zipped.body, name: "export.ndjson.gz")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let target = try TestDatabase.makeFreshDatabase()
        let summary = try Self.importCommand(target).run(file: file)
        #expect(summary.total == lines.count - 2)

        let copy = try TestApp(database: target)
        defer { copy.stop() }
        // The copy made its own admin key and its audit row on start; leave those out.
        let again = try Self.export(copy).lines.filter {
            !$0.contains("test-admin") || $0.contains(#""type":"events""#)
        }
        let original = lines.filter { !$0.contains("test-admin") || $0.contains(#""type":"events""#) }
        #expect(
            Array(again.dropFirst().dropLast()).sorted() == Array(original.dropFirst().dropLast()).sorted())
        // The old admin key works on the copy, and new rows take ids after the imported ones.
        #expect(try copy.request("GET", "/api/v1/incidents/INC-1", key: app.adminKey).status == 200)
        let service = try copy.admin("POST", "/api/v1/services", json: #"{"name":"fresh"}"#)
        let maxService = lines.filter { $0.hasPrefix(#"{"type":"services""#) }.count
        #expect((service.json["id"] as? Int ?? 0) > maxService)
        // Events written after the import are read after the imported ones.
        #expect(try copy.events().count >= lines.filter { $0.hasPrefix(#"{"type":"events""#) }.count)
    }

    @Test func importRefusesANonEmptyDatabaseAndBrokenFilesWritingNothing() throws {
        let app = try TestApp()
        defer { app.stop() }
        try Self.populate(app)
        let (lines, response) = try Self.export(app)
        let whole = try Self.write(response.body, name: "whole.ndjson")
        defer { try? FileManager.default.removeItem(atPath: whole) }

        // Into the database it came from: not empty.
        let before = try app.events().count
        #expect {
            try Self.importCommand(app.database).run(file: whole)
        } throws: { "\($0)".contains("not empty") }
        #expect(try app.events().count == before)

        let target = try TestDatabase.makeFreshDatabase()
        func refused(_ bytes: [UInt8], _ name: String, saying words: String) throws {
            let path = try Self.write(bytes, name: name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: ImportError.self, "\(name)") { try Self.importCommand(target).run(file: path) }
            do {
                _ = try Self.importCommand(target).run(file: path)
            } catch {
                #expect("\(error)".contains(words), "\(name): \(error)")
            }
            #expect(try Self.isEmpty(target), "\(name) left rows behind")
        }
        let text = response.bodyText
        // Cut after a whole line, and in the middle of one.
        let withoutEnd = lines.dropLast().joined(separator: "\n") + "\n"
        try refused(Array(withoutEnd.utf8), "no-end.ndjson", saying: "cut short")
        try refused(Array(text.utf8.prefix(text.utf8.count / 2)), "half.ndjson", saying: "line")
        // A line missing: the end line's count disagrees.
        var missing = lines
        missing.remove(at: lines.count / 2)
        try refused(Array((missing.joined(separator: "\n") + "\n").utf8), "missing.ndjson", saying: "rows")
        // A corrupted byte inside a row's JSON.
        var corrupt = lines
        let row = lines.count / 2
        corrupt[row] = corrupt[row].replacingOccurrences(of: #"":"#, with: #"":{"#)
        try refused(Array((corrupt.joined(separator: "\n") + "\n").utf8), "corrupt.ndjson", saying: "line")
        // A type that is no table here.
        var unknown = lines
        unknown.insert(#"{"type":"widgets","data":{"id":1}}"#, at: 1)
        try refused(Array((unknown.joined(separator: "\n") + "\n").utf8), "unknown.ndjson", saying: "widgets")
        // Not an export at all; an empty file.
        try refused(Array("hello\n".utf8), "hello.ndjson", saying: "line 1")
        try refused([], "empty.ndjson", saying: "empty")
        // A gzip file cut short.
        let (_, zipped) = try Self.export(app, gzip: true)
        try refused(Array(zipped.body.prefix(zipped.body.count - 40)), "cut.ndjson.gz", saying: "corrupted")

        // And the whole file still goes in afterwards.
        #expect(try Self.importCommand(target).run(file: whole).total == lines.count - 2)
    }
}
