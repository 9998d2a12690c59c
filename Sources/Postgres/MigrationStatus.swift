import Foundation

/// Applied and pending migrations, for `incidentd migrate status` and readiness.
public struct MigrationStatus: Sendable {
    /// Rows of `schema_migrations`, oldest version first.
    public var applied: [AppliedMigration]
    /// Files not applied yet, in the order they will run.
    public var pending: [Migration]
    /// Applied files whose content differs from what was applied; `migrate` refuses to run.
    public var changed: [Migration]
    /// Applied versions with no file here (a newer binary migrated this database).
    public var appliedWithoutFile: [AppliedMigration]

    /// Whether nothing is pending and no applied file changed.
    public var isCurrent: Bool { pending.isEmpty && changed.isEmpty }
}

/// One row of `schema_migrations`.
public struct AppliedMigration: Sendable, Hashable {
    public var version: Int
    /// The file name (`0002_alerts_timeline.sql`).
    public var name: String
    public var checksum: String
    public var appliedAt: Date
    public var durationMilliseconds: Int
}

/// What `MigrationRunner.migrate` reports while it works, so the CLI can print
/// `applying 0002_alerts.sql ... done (12 ms)`.
public enum MigrationProgress: Sendable {
    case applying(Migration)
    case applied(Migration, durationMilliseconds: Int)
}
