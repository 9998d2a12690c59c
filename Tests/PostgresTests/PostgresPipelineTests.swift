import Foundation
import Postgres
import TestSupport
import Testing

/// The deferred `BEGIN` of `withTransaction`, sent with the transaction's first statement in
/// one round trip (libpq pipeline mode): same results, same errors, same recovery.
@Suite struct PostgresPipelineTests {
    let database: PostgresTestDatabase

    init() throws {
        database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        defer { connection.close() }
        try connection.simpleQuery(
            "CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL UNIQUE)")
    }

    func count(_ connection: PostgresConnection) throws -> Int64 {
        try #require(try connection.query("SELECT count(*) AS n FROM widgets").first).decode("n")
    }

    struct Refused: Error {}

    @Test func firstStatementRunsInsideTheTransactionItOpens() throws {
        let connection = try database.connect()
        defer { connection.close() }
        #expect(throws: Refused.self) {
            try connection.withTransaction { connection in
                #expect(connection.transactionStatus == .inTransaction)
                let rows = try connection.query("INSERT INTO widgets VALUES (\(1), \("bolt")) RETURNING id")
                #expect(try rows.first?.decode("id", as: Int64.self) == 1)
                throw Refused()
            }
        }
        // Rolled back: the INSERT was inside the BEGIN that travelled with it.
        #expect(try count(connection) == 0)
        #expect(connection.isReusable)
        let isolation: String = try connection.withTransaction(isolation: .serializable) { connection in
            try #require(try connection.query("SELECT current_setting('transaction_isolation') AS i").first)
                .decode("i")
        }
        #expect(isolation == "serializable")
    }

    @Test func failingFirstStatementThrowsItsErrorAndLeavesTheConnectionUsable() throws {
        let connection = try database.connect()
        defer { connection.close() }
        try connection.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))") }
        let error = #expect(throws: PostgresError.self) {
            try connection.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(2), \("bolt"))") }
        }
        #expect(error?.sqlState == "23505" && error?.kind == .server && error?.transactionStep == .body)
        #expect(connection.isReusable)
        // The prepared statement and the session still work, in and out of transactions.
        try connection.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(2), \("nut"))") }
        #expect(try count(connection) == 2)
    }

    @Test func transactionWithoutStatementsSendsNothingAndCommits() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let value = try connection.withTransaction { _ in 7 }
        #expect(value == 7)
        #expect(connection.transactionStatus == .idle && connection.isReusable)
    }

    @Test func simpleQueryInsideTheTransactionSendsTheBeginFirst() throws {
        let connection = try database.connect()
        defer { connection.close() }
        #expect(throws: Refused.self) {
            try connection.withTransaction { connection in
                try connection.simpleQuery(
                    "INSERT INTO widgets VALUES (1, 'bolt'); INSERT INTO widgets VALUES (2, 'nut')")
                throw Refused()
            }
        }
        #expect(try count(connection) == 0)
    }

    @Test func backendKilledBeforeTheFirstStatementIsConnectionLostAndRetriedByThePool() throws {
        let connection = try database.connect()
        defer { connection.close() }
        let admin = try database.connect()
        defer { admin.close() }
        try admin.query("SELECT pg_terminate_backend(\(connection.backendPID), 5000)")
        let error = #expect(throws: PostgresError.self) {
            try connection.withTransaction { try $0.execute("INSERT INTO widgets VALUES (\(1), \("bolt"))") }
        }
        #expect(error?.kind == .connectionLost)
        #expect(!connection.isReusable)

        // Through the pool: the killed connection's attempt is re-run on a new one.
        let pool = database.makePool(maxConnections: 1)
        defer { pool.close() }
        let victim = try pool.withConnection { $0.backendPID }
        var attempts = 0
        try pool.withTransaction { connection in
            attempts += 1
            if attempts == 1 {
                try admin.query("SELECT pg_terminate_backend(\(victim), 5000)")
            }
            try connection.execute("INSERT INTO widgets VALUES (\(attempts), \("try \(attempts)"))")
        }
        #expect(attempts == 2)
        #expect(try count(admin) == 1)
    }
}
