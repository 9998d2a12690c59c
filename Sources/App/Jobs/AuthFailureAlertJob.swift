import API
import Domain
import Foundation
import Log
import Postgres
import Repositories
import Synchronization

/// Seed 004's critical alert "Failed auth attempts > 10 in 5 minutes" (issue 17), raised from
/// inside incidentd on its built-in service `incidentd` (created on first use), the usual way:
/// critical, so it opens an incident and pages like any critical alert.
///
/// The request path only counts: ``AuthFailureLimiter`` notes each address the moment it goes
/// over the budget (the same moment it starts answering 429). This job, on its own thread,
/// takes those notes every ``pause`` and raises one alert per address per window — dedup key
/// `auth-failures:<address>`, the address and count in `details` — whichever process noticed
/// it: ``AlertRepository/raiseOnce(_:serviceID:within:actor:policy:now:)`` skips an address
/// whose alert was seen within the window. Notes whose transaction failed are kept for the
/// next pass.
public final class AuthFailureAlertJob: @unchecked Sendable {
    /// The built-in service internal alerts are raised on.
    public static let serviceName = "incidentd"
    /// Who raises them, on their timelines.
    public static let actor = "incidentd"
    public static let source = "incidentd auth"
    /// Seconds between passes.
    public static let defaultPause: TimeInterval = 1

    private let pool: PostgresPool
    private let limiter: AuthFailureLimiter
    private let policy: SLAPolicy
    private let clock: @Sendable () -> Date
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    /// Runs a pass every interval and logs one that fails.
    private let periodic: PeriodicJob
    /// Crossings taken from the limiter and not raised yet (their transaction failed).
    private let pending = Mutex<[AuthFailureLimiter.Crossing]>([])

    public init(
        pool: PostgresPool, limiter: AuthFailureLimiter, policy: SLAPolicy = SLAPolicy(),
        pause: TimeInterval = defaultPause, logger: Logger = .disabled,
        clock: @escaping @Sendable () -> Date = { Date() }, onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.pool = pool
        self.limiter = limiter
        self.policy = policy
        self.clock = clock
        self.logger = logger
        self.onChange = onChange
        periodic = PeriodicJob(
            name: "auth-failure-alerts", interval: pause, logger: logger,
            failureEvent: "auth_failure_alert_failed")
    }

    public func start() { periodic.start { [self] in _ = try runOnce() } }

    public func stop() { periodic.stop() }

    /// Raises the alerts of the crossings noted since the last pass; returns those raised (an
    /// address already alerted within the window is skipped).
    @discardableResult
    public func runOnce() throws -> [AlertTriggerResult] {
        let crossings = pending.withLock { kept in
            defer { kept.removeAll() }
            return kept + limiter.takeCrossings()
        }
        guard !crossings.isEmpty else { return [] }
        let now = clock()
        let raised: [AlertTriggerResult]
        do {
            raised = try pool.withTransaction { connection in
                let service = try ServiceRepository(connection).findOrCreate(name: Self.serviceName)
                let alerts = AlertRepository(connection)
                return try crossings.compactMap { crossing in
                    try alerts.raiseOnce(
                        try alert(for: crossing), serviceID: service.id, within: limiter.window,
                        actor: Self.actor,
                        policy: policy, now: now)
                }
            }
        } catch {
            pending.withLock { kept in kept = crossings + kept }
            throw error
        }
        for result in raised {
            logger.warning(
                "auth_failures_alerted",
                [
                    "alert": .string(result.record.alert.ref.description),
                    "dedup_key": .string(result.record.dedupKey),
                ])
        }
        if !raised.isEmpty { onChange() }
        return raised
    }

    /// The alert for one address.
    private func alert(for crossing: AuthFailureLimiter.Crossing) throws -> NewAlert {
        let minutes = Int(limiter.window / 60)
        let window =
            limiter.window.truncatingRemainder(dividingBy: 60) == 0
            ? "\(minutes) minutes" : "\(Int(limiter.window)) s"
        return try NewAlert.validate(
            service: Self.serviceName, source: Self.source,
            summary:
                "More than \(limiter.maxFailures) failed authentication attempts in \(window) from \(crossing.address)",
            severity: AlertSeverity.critical.rawValue, dedupKey: "auth-failures:\(crossing.address)",
            details: .object([
                "address": .string(crossing.address), "failures": .integer(Int64(crossing.failures)),
                "window_seconds": .integer(Int64(limiter.window)),
                "noticed_at": .string(crossing.at.formatted(Date.ISO8601FormatStyle())),
            ]), links: nil)
    }
}
