import Dispatch
import Foundation
import Postgres
import TestSupport
import Testing

/// The migration runner against real databases, with fixture folders in a temporary directory.
@Suite struct MigrationRunnerTests {
    let folder: String
    let database: PostgresTestDatabase

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        database = try TestDatabase.makeEmptyDatabase()
        try write("0001_widgets.sql", "CREATE TABLE widgets (id bigint PRIMARY KEY, name text NOT NULL);")
        try write(
            "0002_widget_colors.sql",
            "ALTER TABLE widgets ADD COLUMN color text;\nCREATE INDEX widgets_color ON widgets (color);")
        try write("0010_seed.sql", "INSERT INTO widgets (id, name) VALUES (1, 'first');")
        try write("README.md", "not a migration")
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
    }

    @Test func freshDatabaseAppliesAllInOrderThenNothing() throws {
        let connection = try database.connect()
        let runner = try MigrationRunner(directory: folder)
        #expect(try runner.pendingCount(on: connection) == 3)
        var events: [String] = []
        let applied = try runner.migrate(on: connection) { event in
            switch event {
            case .applying(let migration): events.append("applying \(migration.name)")
            case .applied(let migration, let milliseconds):
                events.append("done \(migration.name)")
                #expect(milliseconds >= 0)
            }
        }
        #expect(applied.map(\.version) == [1, 2, 10])
        #expect(
            events == [
                "applying 0001_widgets.sql", "done 0001_widgets.sql", "applying 0002_widget_colors.sql",
                "done 0002_widget_colors.sql", "applying 0010_seed.sql", "done 0010_seed.sql",
            ])
        let status = try runner.status(on: connection)
        #expect(status.isCurrent)
        #expect(
            status.applied.map(\.name) == ["0001_widgets.sql", "0002_widget_colors.sql", "0010_seed.sql"])
        #expect(status.applied.allSatisfy { $0.checksum.count == 64 })
        #expect(try runner.migrate(on: connection).isEmpty)
        #expect(try connection.query("SELECT color FROM widgets").count == 1)
    }

    @Test func statusOnAnUntouchedDatabaseListsEverythingPendingAndCreatesNothing() throws {
        let connection = try database.connect()
        let status = try MigrationRunner(directory: folder).status(on: connection)
        #expect(status.applied.isEmpty)
        #expect(
            status.pending.map(\.name) == ["0001_widgets.sql", "0002_widget_colors.sql", "0010_seed.sql"])
        let table = try #require(
            try connection.query("SELECT to_regclass('schema_migrations')::text AS t").first)
        #expect(try table.decode("t", as: String?.self) == nil)
    }

    @Test func changedAppliedFileIsRefusedNamingIt() throws {
        let connection = try database.connect()
        try MigrationRunner(directory: folder).migrate(on: connection)
        try write("0002_widget_colors.sql", "ALTER TABLE widgets ADD COLUMN colour text;")
        try write("0011_more.sql", "CREATE TABLE more (id int);")
        let runner = try MigrationRunner(directory: folder)
        #expect(try runner.status(on: connection).changed.map(\.name) == ["0002_widget_colors.sql"])
        let error = #expect(throws: MigrationError.self) { try runner.migrate(on: connection) }
        #expect(error?.description.contains("0002_widget_colors.sql") == true)
        // Refused before anything ran: the new file is still pending.
        #expect(try runner.pendingCount(on: connection) == 1)
    }

    @Test func failingFileRollsBackAndIsNamed() throws {
        try write("0003_broken.sql", "CREATE TABLE half (id int);\nSELECT * FROM no_such_table;")
        let connection = try database.connect()
        let runner = try MigrationRunner(directory: folder)
        let error = #expect(throws: MigrationError.self) { try runner.migrate(on: connection) }
        #expect(error?.description.contains("0003_broken.sql") == true)
        #expect(error?.underlying?.sqlState == "42P01")
        #expect(
            try connection.query("SELECT to_regclass('half') IS NULL AS gone").first?.decode("gone") == true)
        #expect(try runner.status(on: connection).applied.map(\.version) == [1, 2])
        #expect(connection.isReusable)
    }

    @Test func concurrentRunnersApplyEachFileExactlyOnce() throws {
        // A slow first file widens the window in which both runners would race without the lock.
        try write(
            "0001_widgets.sql",
            "SELECT pg_sleep(0.3); CREATE TABLE widgets (id bigint PRIMARY KEY, name text);")
        let runner = try MigrationRunner(directory: folder)
        let appliedCounts = Counter()
        let results = Locked<[[Int]]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            do {
                let connection = try database.connect()
                let applied = try runner.migrate(on: connection).map(\.version)
                results.withLock { $0.append(applied) }
                appliedCounts.increment()
            } catch {
                Issue.record("runner failed: \(error)")
            }
        }
        #expect(appliedCounts.value == 2)
        let applied = results.withLock { $0 }
        #expect(applied.flatMap { $0 }.sorted() == [1, 2, 10])
        #expect(applied.contains([]))
        let rows = try database.connect().query("SELECT count(*) AS n FROM schema_migrations")
        #expect(try rows.first?.decode("n", as: Int.self) == 3)
    }

    @Test func badFileNamesAndDuplicateVersionsAreRefused() throws {
        try write("3_short.sql", "SELECT 1;")
        let badName = #expect(throws: MigrationError.self) { try MigrationRunner(directory: folder) }
        #expect(badName?.description.contains("3_short.sql") == true)
        try FileManager.default.removeItem(atPath: folder + "/3_short.sql")
        try write("0002_other.sql", "SELECT 1;")
        let duplicate = #expect(throws: MigrationError.self) { try MigrationRunner(directory: folder) }
        #expect(duplicate?.description.contains("0002_other.sql") == true)
        #expect(duplicate?.description.contains("0002_widget_colors.sql") == true)
        #expect(throws: MigrationError.self) { try MigrationRunner(directory: folder + "/missing") }
    }

    @Test func migrationLeavesPooledSessionSettingsAsTheyWere() throws {
        let pool = database.makePool(maxConnections: 1, statementTimeout: .milliseconds(1500))
        try MigrationRunner(directory: folder).migrate(using: pool)
        let setting = try pool.withConnection { connection in
            try #require(try connection.query("SHOW statement_timeout").first).decode(0, as: String.self)
        }
        #expect(setting == "1500ms")
        #expect(try MigrationRunner(directory: folder).pendingCount(using: pool) == 0)
    }

    @Test func repositoryMigrationsApplyToAnEmptyDatabase() throws {
        let connection = try database.connect()
        let runner = try MigrationRunner(directory: TestDatabase.migrationsDirectory)
        try runner.migrate(on: connection)
        #expect(try runner.status(on: connection).isCurrent)
    }
}
