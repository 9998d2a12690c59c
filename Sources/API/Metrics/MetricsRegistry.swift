import Foundation
import HTTPServer
import Postgres
import Repositories
import Synchronization

/// Everything `GET /metrics` shows (issue 7), collected in one process.
///
/// - In memory, updated as things happen: HTTP requests and durations (``observe(_:)``, the
///   server's observer), alerts ingested per source (``alerts``).
/// - Read at scrape time: open connections and the worker queue from the attached server,
///   pool counters from the attached pool.
/// - Read from the database at most every ``databaseRefreshInterval`` (cached): open alerts
///   and incidents by severity, SLA-breached incidents, unpublished post-mortems. A failed read
///   keeps the last values and sets `incidentd_metrics_database_up` to 0, so a scrape during a
///   database outage still answers (with the pool's timeouts) instead of failing.
///
/// It travels in ``APIEnvironment/metrics``: `incidentd serve` attaches its server and pool,
/// `/metrics` reads it, and ingestion code counts alerts on it; no process-wide singleton.
public final class MetricsRegistry: Sendable {
    /// Default time between two database reads; scrapes in between get the cached values.
    public static let defaultDatabaseRefreshInterval: Duration = .seconds(5)

    public let http = HTTPRequestMetrics()
    public let alerts = AlertIngestionMetrics()
    public let deliveries = DeliveryMetrics()
    public let databaseRefreshInterval: Duration

    /// The live sources read at scrape time, weakly held so the registry keeps nothing alive.
    struct Sources: Sendable {
        let openConnections: @Sendable () -> Int?
        let queuedRequests: @Sendable () -> Int?
        let poolStats: @Sendable () -> PostgresPool.Stats?
        let pool: @Sendable () -> PostgresPool?
        let groupCommit: @Sendable () -> GroupCommitStats?
        let credentialsHeard: @Sendable () -> Bool?
    }

    /// The last database read and whether it worked.
    struct CachedSnapshot: Sendable {
        var snapshot: MetricsSnapshotRepository.Snapshot?
        var readAt: ContinuousClock.Instant
        var succeeded: Bool
    }

    private let sources = Mutex<Sources?>(nil)
    private let cache = Mutex<CachedSnapshot?>(nil)

    public init(databaseRefreshInterval: Duration = MetricsRegistry.defaultDatabaseRefreshInterval) {
        self.databaseRefreshInterval = databaseRefreshInterval
    }

    /// The HTTPServer observer: counts one answered request (cheap, runs on the event loop).
    public func observe(_ request: CompletedRequest) { http.record(request) }

    /// Reads the server's connection and queue gauges, `pool`'s counters and database, and
    /// (given `environment`) its group commit and credential listener at scrape time. Call once
    /// after making the server; a later call replaces the sources.
    public func attach(server: HTTPServer, pool: PostgresPool, environment: APIEnvironment? = nil) {
        let groupCommit = environment?.alertBatches
        let credentials = environment?.credentials
        let sources = Sources(
            openConnections: { [weak server] in server?.openConnectionCount },
            queuedRequests: { [weak server] in server?.queuedRequestCount },
            poolStats: { [weak pool] in pool?.stats },
            pool: { [weak pool] in pool },
            groupCommit: { [weak groupCommit] in groupCommit?.stats },
            credentialsHeard: { [weak credentials] in credentials?.isListening })
        self.sources.withLock { $0 = sources }
    }

    /// The whole exposition text (format 0.0.4), reading the database first if the cached
    /// values are older than ``databaseRefreshInterval``.
    public func exposition() -> String {
        let sources = self.sources.withLock { $0 }
        // The database first, so the pool counters below include this scrape's own attempt.
        let database = sources?.pool().map { refreshedSnapshot(pool: $0) }
        var exposition = PrometheusExposition()
        http.write(to: &exposition)
        if let sources {
            writeServer(sources, to: &exposition)
            if let stats = sources.poolStats() { Self.writePool(stats, to: &exposition) }
            Self.writeCaching(
                groupCommit: sources.groupCommit(), credentialsHeard: sources.credentialsHeard(),
                to: &exposition)
        }
        alerts.write(to: &exposition)
        deliveries.write(to: &exposition)
        if let database { writeDatabase(database, to: &exposition) }
        return exposition.text
    }

    /// The cached database snapshot, read again when stale. A failure is cached too, so a
    /// database outage costs one attempt per interval, not one per scrape.
    func refreshedSnapshot(pool: PostgresPool) -> CachedSnapshot {
        let now = ContinuousClock.now
        if let cached = cache.withLock({ $0 }), cached.readAt.duration(to: now) < databaseRefreshInterval {
            return cached
        }
        var result: CachedSnapshot
        do {
            let snapshot = try pool.withConnection { try MetricsSnapshotRepository($0).snapshot() }
            result = CachedSnapshot(snapshot: snapshot, readAt: now, succeeded: true)
        } catch {
            // Keep the last good values; `incidentd_metrics_database_up 0` says they are old.
            let previous = cache.withLock { $0?.snapshot }
            result = CachedSnapshot(snapshot: previous, readAt: now, succeeded: false)
        }
        cache.withLock { $0 = result }
        return result
    }

    private func writeServer(_ sources: Sources, to exposition: inout PrometheusExposition) {
        if let open = sources.openConnections() {
            exposition.family("incidentd_http_open_connections", .gauge, help: "HTTP connections open now.")
            exposition.sample("incidentd_http_open_connections", [], open)
        }
        if let queued = sources.queuedRequests() {
            exposition.family(
                "incidentd_http_queued_requests", .gauge, help: "Requests waiting for a worker thread now.")
            exposition.sample("incidentd_http_queued_requests", [], queued)
        }
    }
}
