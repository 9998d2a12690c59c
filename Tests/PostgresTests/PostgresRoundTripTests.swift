import CLibPQ
import Foundation
import TestSupport
import Testing

@testable import Postgres

/// How many round trips a transaction costs, read from libpq's own protocol trace (`PQtrace`):
/// each `Sync` or simple `Query` the client sends is one wait for the server (issue 5).
@Suite struct PostgresRoundTripTests {
    let database: PostgresTestDatabase

    init() throws {
        database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        defer { connection.close() }
        try connection.simpleQuery("CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL)")
    }

    /// The messages the client sent while `body` ran, by name (`Parse`, `Bind`, `Sync`, ...).
    func clientMessages(_ connection: PostgresConnection, _ body: () throws -> Void) throws -> [String] {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("pqtrace-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }  // test scratch file
        let handle = try #require(connection.handle)
        let file = try #require(fopen(path, "w"))
        PQtrace(handle, file)
        PQsetTraceFlags(handle, PQTRACE_SUPPRESS_TIMESTAMPS)
        do {
            try body()
        } catch {
            PQuntrace(handle)
            fclose(file)
            throw error
        }
        PQuntrace(handle)
        fclose(file)
        // Lines read "F<TAB>length<TAB>Name ..." for what the client sent ("B" for the server).
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "\t", maxSplits: 3)
            guard fields.count >= 3, fields[0] == "F" else { return nil }
            return String(fields[2])
        }
    }

    func roundTrips(_ messages: [String]) -> Int {
        messages.filter { $0 == "Sync" || $0 == "Query" }.count
    }

    @Test func statementThenQueuedStatementTakeTwoRoundTrips() throws {
        let connection = try database.connect()
        defer { connection.close() }
        func transaction(_ id: Int64) throws {
            try connection.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(id), \("bolt"))")
                try connection.executeAtCommit("INSERT INTO widgets VALUES (\(-id), \("audit"))")
            }
        }
        try transaction(1)  // prepares both statements (one round trip each, once per connection)
        let messages = try clientMessages(connection) { try transaction(2) }
        // [BEGIN + INSERT] and [INSERT + COMMIT].
        #expect(roundTrips(messages) == 2, "\(messages)")
        #expect(messages.filter { $0 == "Bind" }.count == 4)
    }

    @Test func queuedStatementAloneTakesOneRoundTrip() throws {
        let connection = try database.connect()
        defer { connection.close() }
        func transaction(_ id: Int64) throws {
            try connection.withTransaction { connection in
                try connection.executeAtCommit("INSERT INTO widgets VALUES (\(id), \("audit"))")
            }
        }
        try transaction(1)
        let messages = try clientMessages(connection) { try transaction(2) }
        // [BEGIN + INSERT + COMMIT].
        #expect(roundTrips(messages) == 1, "\(messages)")
        #expect(messages.filter { $0 == "Bind" }.count == 3)
        #expect(
            try connection.query("SELECT id FROM widgets ORDER BY id").map {
                try $0.decode(0, as: Int64.self)
            } == [1, 2])
    }
}
