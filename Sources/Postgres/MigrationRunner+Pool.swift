/// `MigrationRunner` on a pooled connection.
extension MigrationRunner {
    /// `status(on:)` on a connection from `pool`.
    public func status(using pool: PostgresPool) throws -> MigrationStatus {
        try pool.withConnection { try status(on: $0) }
    }

    /// `pendingCount(on:)` on a connection from `pool`.
    public func pendingCount(using pool: PostgresPool) throws -> Int {
        try pool.withConnection { try pendingCount(on: $0) }
    }

    /// `migrate(on:progress:)` on a connection from `pool`.
    @discardableResult
    public func migrate(
        using pool: PostgresPool, progress: (MigrationProgress) -> Void = { _ in }
    ) throws -> [AppliedMigration] {
        try pool.withConnection { try migrate(on: $0, progress: progress) }
    }
}
