/// The moment by which the database work of the current request must be done.
///
/// A task-local (also bound on plain threads, outside any task): whoever starts a request's
/// work binds it once, and every wait below it honours it without being passed anything — the
/// pool's wait for a connection, opening one, and each wait for the server's answer
/// (`PostgresConnection+Waiting.swift`). When it passes, the statement is cancelled, the
/// connection dropped and `.deadlineExceeded` thrown. Unbound: no deadline (migrations, the
/// command line).
public enum PostgresDeadline {
    @TaskLocal public static var current: ContinuousClock.Instant?

    /// Runs `body` with `deadline` in force, or the one already in force if that is earlier.
    public static func run<Result>(until deadline: ContinuousClock.Instant?, _ body: () throws -> Result)
        rethrows -> Result
    {
        guard let deadline else { return try body() }
        let earliest = current.map { min($0, deadline) } ?? deadline
        return try $current.withValue(earliest, operation: body)
    }

    /// Runs `body` with a deadline `duration` from now (or an earlier one already in force).
    public static func run<Result>(within duration: Duration, _ body: () throws -> Result) rethrows -> Result
    {
        try run(until: ContinuousClock.now + duration, body)
    }

    /// Whether the deadline in force has passed.
    public static var hasPassed: Bool { current.map { $0 <= ContinuousClock.now } ?? false }
}
