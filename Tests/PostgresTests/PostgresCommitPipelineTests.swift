import Foundation
import Postgres
import TestSupport
import Testing

/// `executeAtCommit`: a statement queued in the body goes out with the transaction's COMMIT in
/// one round trip, and commits with it or not at all.
@Suite struct PostgresCommitPipelineTests {
    let database: PostgresTestDatabase

    init() throws {
        database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        defer { connection.close() }
        try connection.simpleQuery(
            """
            CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL UNIQUE);
            CREATE TABLE labels (name text CONSTRAINT labels_name_key UNIQUE DEFERRABLE INITIALLY DEFERRED)
            """)
    }

    func count(_ connection: PostgresConnection, _ table: StaticString = "widgets") throws -> Int64 {
        try #require(try connection.query("SELECT count(*) AS n FROM \(sql: table)").first)
            .decode("n")
    }

    struct Refused: Error {}

    @Test func queuedStatementCommitsWithTheTransaction() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let value = try connection.withTransaction { connection in
            try connection.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))")
            try connection.executeAtCommit("INSERT INTO widgets VALUES (\(2), \("nut"))")
            // Not sent yet: only the body's own statement is visible inside the transaction.
            #expect(try count(connection) == 1)
            return 7
        }
        #expect(value == 7)
        #expect(try count(connection) == 2)
        #expect(connection.isReusable)
    }

    @Test func queuedStatementAloneTravelsWithBeginAndCommit() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let isolation = try connection.withTransaction(isolation: .serializable) { connection in
            try connection.executeAtCommit("INSERT INTO widgets VALUES (\(1), \("bolt"))")
            try connection.executeAtCommit(
                "INSERT INTO labels SELECT current_setting('transaction_isolation')")
            return connection.transactionStatus
        }
        #expect(isolation == .inTransaction)
        #expect(try count(connection) == 1)
        let label: String = try #require(try connection.query("SELECT name FROM labels").first).decode("name")
        #expect(label == "serializable")
        #expect(connection.isReusable)
    }

    @Test func failingQueuedStatementRollsBackEverythingAndThrowsItsError() throws {
        let connection = try database.connect()
        defer { connection.close() }
        try connection.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))") }
        let error = #expect(throws: PostgresError.self) {
            try connection.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(2), \("nut"))")
                try connection.executeAtCommit("INSERT INTO widgets VALUES (\(3), \("bolt"))")
            }
        }
        #expect(error?.kind == .server && error?.sqlState == "23505")
        #expect(error?.constraint == "widgets_name_key" && error?.transactionStep == .body)
        // The body's own INSERT rolled back with it.
        #expect(try count(connection) == 1)
        #expect(connection.isReusable)
        try connection.withTransaction { connection in
            try connection.executeAtCommit("INSERT INTO widgets VALUES (\(3), \("washer"))")
        }
        #expect(try count(connection) == 2)
    }

    @Test func failingCommitAfterTheQueuedStatementThrowsAtCommit() throws {
        let connection = try database.connect()
        defer { connection.close() }
        // A deferred unique constraint is checked by COMMIT itself, after the queued INSERT ran.
        let error = #expect(throws: PostgresError.self) {
            try connection.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))")
                try connection.executeAtCommit("INSERT INTO labels VALUES (\("red")), (\("red"))")
            }
        }
        #expect(error?.sqlState == "23505" && error?.transactionStep == .commit)
        #expect(try count(connection) == 0)
        #expect(try count(connection, "labels") == 0)
        #expect(connection.isReusable)
    }

    @Test func throwingBodyNeverSendsTheQueuedStatement() throws {
        let connection = try database.connect()
        defer { connection.close() }
        #expect(throws: Refused.self) {
            try connection.withTransaction { connection in
                try connection.executeAtCommit("INSERT INTO widgets VALUES (\(1), \("bolt"))")
                throw Refused()
            }
        }
        #expect(throws: Refused.self) {
            try connection.withTransaction { connection in
                try connection.execute("INSERT INTO widgets VALUES (\(2), \("nut"))")
                try connection.executeAtCommit("INSERT INTO widgets VALUES (\(3), \("washer"))")
                throw Refused()
            }
        }
        #expect(try count(connection) == 0)
        // Nor does the next transaction inherit it.
        try connection.withTransaction { _ in }
        #expect(try count(connection) == 0)
        #expect(connection.isReusable)
    }

    @Test func queuingOutsideATransactionIsRefused() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let error = #expect(throws: PostgresError.self) {
            try connection.executeAtCommit("INSERT INTO widgets VALUES (\(1), \("bolt"))")
        }
        #expect(error?.kind == .protocolViolation)
        #expect(try count(connection) == 0)
    }

    @Test func connectionLostDuringTheCommitPipelineIsReportedAtCommitAndNotRetried() throws {
        let admin = try database.connect()
        defer { admin.close() }
        let pool = database.makePool(maxConnections: 1)
        defer { pool.close() }
        let victim = try pool.withConnection { $0.backendPID }
        var attempts = 0
        let error = #expect(throws: PostgresError.self) {
            try pool.withTransaction { connection in
                attempts += 1
                try connection.execute("INSERT INTO widgets VALUES (\(attempts), \("try \(attempts)"))")
                try connection.executeAtCommit("INSERT INTO labels VALUES (\("audit"))")
                // The next message is the commit pipeline: it finds the backend gone.
                try admin.query("SELECT pg_terminate_backend(\(victim), 5000)")
            }
        }
        // Whether COMMIT ran cannot be told from here: never re-run a possibly saved transaction.
        #expect(error?.kind == .connectionLost && error?.transactionStep == .commit)
        #expect(attempts == 1)
        #expect(try count(admin) == 0)
        // The pool replaced the connection.
        try pool.withTransaction { try $0.executeAtCommit("INSERT INTO widgets VALUES (\(9), \("after"))") }
        #expect(try count(admin) == 1)
    }
}
