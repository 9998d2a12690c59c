import Foundation
import Postgres
import TestSupport
import Testing

/// Connecting by URL or conninfo, connect failures, and the prepared statement cache.
@Suite struct PostgresConnectionTests {
    @Test func connectsByURLWithSocketFolderAsHost() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let socketFolder = try TestDatabase.cluster().cluster.socketDirectory
        let host = try #require(socketFolder.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let connection = try PostgresConnection(
            conninfo: "postgresql://postgres@/\(database.name)?host=\(host)")
        let row = try #require(try connection.query("SELECT current_database() AS name").first)
        #expect(try row.decode("name", as: String.self) == database.name)
    }

    @Test func unreachableServerFailsToConnectWithAClassifiedError() {
        let error = #expect(throws: PostgresError.self) {
            try PostgresConnection(conninfo: "host=/nonexistent/socket/folder dbname=x connect_timeout=2")
        }
        #expect(error?.kind == .connectFailed)
        #expect(error?.isUnavailable == true)
        #expect(error?.message.isEmpty == false)
    }

    @Test func sessionSettingsMakeDecodingIndependentOfServerDefaults() throws {
        let connection = try TestDatabase.makeFreshDatabase().connect()
        let row = try #require(
            try connection.query(
                "SELECT current_setting('DateStyle') AS style, current_setting('TimeZone') AS zone"
            )
            .first)
        #expect(try row.decode("style", as: String.self) == "ISO, MDY")
        #expect(try row.decode("zone", as: String.self) == "UTC")
    }

    @Test func cachedStatementSurvivesATableChangingShape() throws {
        let connection = try TestDatabase.makeFreshDatabase().connect()
        try connection.simpleQuery("CREATE TABLE shapes (id int); INSERT INTO shapes VALUES (1);")
        let before = try connection.query("SELECT * FROM shapes WHERE id = \(Int32(1))")
        #expect(before.columns.map(\.name) == ["id"])
        try connection.simpleQuery("ALTER TABLE shapes ADD COLUMN name text DEFAULT 'x'")
        // Same SQL: the prepared plan's result type changed (0A000); the layer re-prepares.
        let after = try connection.query("SELECT * FROM shapes WHERE id = \(Int32(1))")
        #expect(after.columns.map(\.name) == ["id", "name"])
        #expect(try after.first?.decode("name", as: String.self) == "x")
    }

    @Test func longStatementsAlikeInLengthPrefixMiddleAndEndStayDifferentStatements() throws {
        // The statement cache hashes a long statement's length and three samples only
        // (issue 21); statements that agree on all of those but differ elsewhere are still two.
        let connection = try TestDatabase.makeFreshDatabase().connect()
        func statement(_ marker: String) -> PostgresQuery {
            let text = String(repeating: "p", count: 60) + marker + String(repeating: "q", count: 300)
            return PostgresQuery(sql: "SELECT '\(text)'::text AS v, $1::int8 AS n", binds: [Int64(7)])
        }
        for _ in 0..<2 {
            for marker in ["A", "B"] {
                let value = try connection.query(statement(marker)).first?.decode("v", as: String.self)
                #expect(value?.dropFirst(60).first == Character(marker))
            }
        }
        let prepared = try connection.query(
            "SELECT count(*) AS n FROM pg_prepared_statements WHERE statement LIKE \("SELECT 'ppp%")")
        #expect(try prepared.first?.decode("n", as: Int.self) == 2)
    }

    @Test func arraysOfEveryElementTypeRoundTrip() throws {
        // Arrays are encoded in place (issue 21): lengths, empty arrays and multi-byte text.
        let connection = try TestDatabase.makeFreshDatabase().connect()
        let texts = ["", "a", "café ✓", String(repeating: "x", count: 300)]
        let row = try #require(
            try connection.query(
                """
                SELECT \(texts) AS t, \([Int64(-1), 0, Int64.max]) AS i8, \([Int32(-2), Int32.max]) AS i4,
                       \([Int.min, 5]) AS i, \([String]()) AS empty, cardinality(\(texts)) AS n
                """
            ).first)
        #expect(try row.decode("t", as: [String].self) == texts)
        #expect(try row.decode("i8", as: [Int64].self) == [-1, 0, Int64.max])
        #expect(try row.decode("i4", as: [Int32].self) == [-2, Int32.max])
        #expect(try row.decode("i", as: [Int].self) == [Int.min, 5])
        #expect(try row.decode("empty", as: [String].self) == [])
        #expect(try row.decode("n", as: Int.self) == texts.count)
    }

    @Test func statementsRunWithTheCacheDisabled() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect(options: .init(statementCacheCapacity: 0))
        for value in 0..<3 {
            #expect(try connection.query("SELECT \(value) AS v").first?.decode("v", as: Int.self) == value)
        }
        let prepared = try connection.query("SELECT count(*) AS n FROM pg_prepared_statements")
        #expect(try prepared.first?.decode("n", as: Int.self) == 0)
    }

    @Test func syntaxErrorsCarryTheirSQLState() throws {
        let connection = try TestDatabase.makeFreshDatabase().connect()
        let error = #expect(throws: PostgresError.self) { try connection.query("SELEC 1") }
        #expect(error?.kind == .server)
        #expect(error?.sqlState == "42601")
        // The connection stays usable after a statement error.
        #expect(try connection.query("SELECT 1 AS one").first?.decode("one", as: Int.self) == 1)
    }

    @Test func affectedRowsAndCommandTagAreReported() throws {
        let connection = try TestDatabase.makeFreshDatabase().connect()
        try connection.simpleQuery("CREATE TABLE items (id int)")
        #expect(try connection.execute("INSERT INTO items SELECT generate_series(1, \(Int32(5)))") == 5)
        let rows = try connection.query("UPDATE items SET id = id + 1 WHERE id > \(Int32(2))")
        #expect(rows.affectedRows == 3)
        #expect(rows.commandTag == "UPDATE 3")
    }

    @Test func createDatabaseIfMissingIsIdempotent() throws {
        let connection = try PostgresConnection(conninfo: try TestDatabase.cluster().conninfo())
        let name = "created_\(UInt32.random(in: 0...UInt32.max))"
        #expect(try connection.createDatabaseIfMissing(name))
        #expect(try !connection.createDatabaseIfMissing(name))
        #expect(try connection.databaseExists(name))
    }
}

/// LISTEN/NOTIFY between two connections.
@Suite struct PostgresNotificationTests {
    @Test func listenerReceivesCommittedNotificationsOnly() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let listener = try database.connect()
        let sender = try database.connect()
        try listener.listen("incident events")
        #expect(try listener.waitForNotifications(timeout: .milliseconds(50)).isEmpty)

        #expect(throws: CancellationError.self) {
            try sender.withTransaction { connection in
                try connection.notify("incident events", payload: "INC-1 acknowledged")
                throw CancellationError()
            }
        }
        #expect(try listener.waitForNotifications(timeout: .milliseconds(200)).isEmpty)

        try sender.notify("incident events", payload: "INC-2 resolved")
        let received = try listener.waitForNotifications(timeout: .seconds(5))
        #expect(received.map(\.payload) == ["INC-2 resolved"])
        #expect(received.first?.channel == "incident events")
        #expect(received.first?.senderPID == sender.backendPID)
    }
}
