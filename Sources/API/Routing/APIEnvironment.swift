import Domain
import Foundation
import Log
import Outbound
import Postgres
import Repositories

/// The long-lived things every handler may use, built once by the App. A class: every request
/// carries it through the pipeline, and one reference is cheaper to pass than its fields.
public final class APIEnvironment: Sendable {
    public let pool: PostgresPool
    public let logger: Logger
    public let settings: APISettings
    public let authFailures: AuthFailureLimiter
    /// Readiness: how many migrations are still pending (nil when unknown).
    public let pendingMigrations: @Sendable () throws -> Int
    public let clock: @Sendable () -> Date
    /// Principals of recently checked keys; trusted only while the App's listener hears
    /// credential changes (ADR 0003).
    public let credentials: CredentialCache
    /// Recent answers of the dashboards' read routes (ADR 0003).
    public let responses: ResponseCache
    /// This process's copy of the read-only switch (SPEC §12).
    public let readOnly = ReadOnlySwitch()
    /// The `/metrics` counters and gauges of this process.
    public let metrics: MetricsRegistry
    /// The live stream's fan-out in this process and the export's slots (SPEC §8).
    public let streams: EventStreamHub
    /// Concurrent alert triggers sharing one statement and one COMMIT (issue 5, ADR 0004).
    let alertBatches: AlertIngestBatcher

    public init(
        pool: PostgresPool, logger: Logger, settings: APISettings = APISettings(),
        pendingMigrations: @escaping @Sendable () throws -> Int = { 0 },
        clock: @escaping @Sendable () -> Date = { Date() }, metrics: MetricsRegistry = MetricsRegistry()
    ) {
        self.metrics = metrics
        self.pool = pool
        self.logger = logger
        self.settings = settings
        self.authFailures = AuthFailureLimiter(
            maxFailures: settings.maxAuthFailures, window: settings.authFailureWindow,
            blockFor: settings.authFailureBlock)
        self.pendingMigrations = pendingMigrations
        self.clock = clock
        self.credentials = CredentialCache()
        self.responses = ResponseCache(timeToLive: settings.responseCacheTTL)
        self.alertBatches = AlertIngestBatcher(pool: pool, lanes: settings.groupCommitLanes)
        self.streams = EventStreamHub(settings: settings.streams, logger: logger)
    }
}

/// API behaviour that operators can tune (docs/OPERATIONS.md).
public struct APISettings: Sendable {
    /// SPEC §5 / seed 004: more than 10 failures from one address in 5 minutes → 429.
    public var maxAuthFailures = 10
    public var authFailureWindow: TimeInterval = 300
    public var authFailureBlock: TimeInterval = 300
    /// SLA deadlines per incident severity (SPEC §3).
    public var slaPolicy = SLAPolicy()
    /// Slack signing secret; nil: the Slack route refuses every request (it has no other auth).
    public var slackSigningSecret: String? = nil
    /// When set, `/metrics` needs `Authorization: Bearer <this>`; nil: open (SPEC §5).
    public var metricsToken: String? = nil
    /// Origins allowed to read the API from a browser; empty: no CORS headers.
    public var corsAllowedOrigins: [String] = []
    /// Seconds a cached read answer may be served after a change made by *another* process on
    /// the same database; this process's own writes invalidate at once. Zero: no response cache.
    public var responseCacheTTL: TimeInterval = 1
    /// Alert-ingest batches that may run at once (ADR 0004); one key always uses the same lane.
    /// One by default: a batch is one statement, so bigger batches cost PostgreSQL less per
    /// trigger, and on two cores one lane ingested most (docs/PERFORMANCE.md).
    public var groupCommitLanes = 1
    /// The live stream's and the export's limits.
    public var streams = StreamSettings()
    /// The SSRF guard channels' URLs are checked against when they are set (SPEC §9: restricted
    /// ranges refused unless in `INCIDENTD_OUTBOUND_ALLOW`); the same policy as the delivery
    /// transport's, which checks again at every connect.
    public var outboundPolicy = DestinationPolicy()

    public init() {}
}
