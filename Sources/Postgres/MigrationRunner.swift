import Foundation

/// Applies SQL migration files once each, in version order, recording them in
/// `schema_migrations` (SPEC §6).
///
/// Each file runs in its own transaction together with its `schema_migrations` row. A
/// session-level advisory lock is held for the whole run, so processes migrating at once apply
/// each file exactly once: the second waits, then finds nothing pending. A file whose content
/// changed after it was applied is refused, naming it.
public struct MigrationRunner: Sendable {
    /// `pg_advisory_lock` key: the ASCII bytes of "incident" as a big-endian Int64.
    public static let advisoryLockKey: Int64 = 0x696E_6369_6465_6E74

    /// The files, sorted by version.
    public let migrations: [Migration]

    /// Loads and checks the files of `directory` (see `Migration.load(directory:)`).
    public init(directory: String) throws {
        migrations = try Migration.load(directory: directory)
    }

    /// Uses `migrations` as given (tests); throws on duplicate versions.
    public init(migrations: [Migration]) throws {
        self.migrations = try Migration.sortedCheckingVersions(migrations)
    }

    /// What is applied, what is pending, and which applied files changed since. Reads only;
    /// a database without `schema_migrations` has everything pending.
    public func status(on connection: PostgresConnection) throws -> MigrationStatus {
        let applied = try appliedMigrations(on: connection)
        let appliedByVersion = Dictionary(
            applied.map { ($0.version, $0) }, uniquingKeysWith: { first, _ in first })
        let fileVersions = Set(migrations.map(\.version))
        return MigrationStatus(
            applied: applied,
            pending: migrations.filter { appliedByVersion[$0.version] == nil },
            changed: migrations.filter { file in
                appliedByVersion[file.version].map { $0.checksum != file.checksum } ?? false
            },
            appliedWithoutFile: applied.filter { !fileVersions.contains($0.version) })
    }

    /// How many files are not applied yet (readiness: `/readyz` is 503 while this is not 0).
    public func pendingCount(on connection: PostgresConnection) throws -> Int {
        try status(on: connection).pending.count
    }

    /// Applies the pending files in order and returns what it applied (empty when up to date).
    /// `progress` hears about each file before and after it runs.
    @discardableResult
    public func migrate(
        on connection: PostgresConnection, progress: (MigrationProgress) -> Void = { _ in }
    ) throws -> [AppliedMigration] {
        // Migrations may run longer than a request's statement_timeout: lift it for this
        // session and put it back afterwards (the connection may be a pooled one).
        let savedTimeout =
            try connection.query("SELECT current_setting('statement_timeout') AS value")
            .first?.decode("value", as: String.self) ?? "0"
        try connection.query("SELECT set_config('statement_timeout', '0', false)")
        defer { restore(statementTimeout: savedTimeout, on: connection) }

        try connection.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { unlock(on: connection) }
        try connection.simpleQuery(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer     PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now(),
                duration_ms integer     NOT NULL
            )
            """)
        // Read under the lock: another process may have applied files while we waited.
        let current = try status(on: connection)
        if let changed = current.changed.first {
            let recorded = current.applied.first { $0.version == changed.version }?.checksum ?? "?"
            throw MigrationError(
                "migration \(changed.name) was changed after it was applied (recorded sha256 \(recorded),"
                    + " file now \(changed.checksum)); applied migrations must not be edited, add a new file instead"
            )
        }
        var appliedNow: [AppliedMigration] = []
        for migration in current.pending {
            progress(.applying(migration))
            let applied = try apply(migration, on: connection)
            appliedNow.append(applied)
            progress(.applied(migration, durationMilliseconds: applied.durationMilliseconds))
        }
        return appliedNow
    }

    /// Runs one file and records it, in one transaction.
    private func apply(_ migration: Migration, on connection: PostgresConnection) throws -> AppliedMigration {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            return try connection.withTransaction { connection in
                try connection.simpleQuery(migration.sql)
                let duration = Int((clock.now - start).wholeMilliseconds)
                let row = try connection.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum, duration_ms)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(duration))
                    RETURNING applied_at
                    """
                ).first
                return AppliedMigration(
                    version: migration.version, name: migration.name, checksum: migration.checksum,
                    appliedAt: try row?.decode("applied_at", as: Date.self) ?? Date(),
                    durationMilliseconds: duration)
            }
        } catch var error as PostgresError {
            // The file is named; its whole text in the message would bury the error.
            error.query = nil
            throw MigrationError("migration \(migration.name) failed: \(error)", underlying: error)
        }
    }

    /// The rows of `schema_migrations`, oldest version first; none when the table is missing.
    private func appliedMigrations(on connection: PostgresConnection) throws -> [AppliedMigration] {
        let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS present")
        guard try exists.first?.decode("present", as: Bool.self) == true else { return [] }
        return try connection.query(
            "SELECT version, name, checksum, applied_at, duration_ms FROM schema_migrations ORDER BY version"
        ).map { row in
            AppliedMigration(
                version: try row.decode("version"), name: try row.decode("name"),
                checksum: try row.decode("checksum"),
                appliedAt: try row.decode("applied_at"), durationMilliseconds: try row.decode("duration_ms"))
        }
    }

    /// Releases the advisory lock. If the connection broke, the server released it already.
    private func unlock(on connection: PostgresConnection) {
        guard connection.isConnected else { return }
        do {
            try connection.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
        } catch {
            // A session that cannot unlock must not go back to a pool holding the lock.
            connection.isPoisoned = true
        }
    }

    /// Puts the session's statement_timeout back.
    private func restore(statementTimeout: String, on connection: PostgresConnection) {
        guard connection.isConnected else { return }
        do {
            try connection.query("SELECT set_config('statement_timeout', \(statementTimeout), false)")
        } catch {
            connection.isPoisoned = true
        }
    }
}
