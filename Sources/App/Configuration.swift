import Domain
import Foundation
import HTTPServer
import Outbound

/// Everything an `incidentd` process can be told, from flags and environment.
///
/// Precedence: command-line flag, then environment variable, then the default below.
/// docs/OPERATIONS.md lists every setting with its variable and default.
public struct Configuration: Sendable {
    // HTTP
    public var host: String? = nil  // nil: IPv4 and IPv6 wildcards
    public var port: Int = 8080
    public var workerThreads: Int = 64
    public var maxConnections: Int = 10_000
    public var maxBodyBytes: Int = 1024 * 1024  // 413
    public var headerReadTimeout: Double = 10  // 408
    /// Head and body of one request, from its first byte (HTTPTimeouts.requestRead).
    public var requestReadTimeout: Double = 30  // 408
    /// From the end of a request's head until its answer: the database work's deadline
    /// (HTTPTimeouts.requestDeadline, PostgresDeadline).
    public var requestTimeout: Double = 10  // 503 + Retry-After
    public var idleTimeout: Double = 60
    public var shutdownGracePeriod: Double = 30
    /// HTTPS on the same port when both are set (`Configuration+TLS.swift`).
    public var tlsCertificateFile: String? = nil
    public var tlsKeyFile: String? = nil
    /// Peers whose `X-Forwarded-For` names the client, for the failure limit, audit and log.
    public var trustedProxies = TrustedProxies()

    // Database
    /// nil: run the embedded PostgreSQL under `effectiveDataDirectory`.
    public var databaseURL: String? = nil
    /// The data folder given by `--data-dir` or `INCIDENTD_DATA_DIR`; nil: the default.
    public var dataDirectory: String? = nil
    /// Where the data folder is when none is given: fixed, never the current directory
    /// (`Configuration+DataDirectory.swift`).
    public var defaultDataDirectory = Configuration.defaultDataDirectory(
        environment: ProcessInfo.processInfo.environment, isRoot: geteuid() == 0)
    public var poolSize: Int = 20
    public var poolAcquireTimeout: Double = 5  // 503 + Retry-After
    public var statementTimeoutMilliseconds: Int = 15_000
    public var migrateOnStart: Bool = true
    public var migrationsDirectory: String? = nil

    // Auth (SPEC §5): more than maxAuthFailures in authFailureWindow seconds → 429 for authFailureBlock.
    public var maxAuthFailures = 10
    public var authFailureWindow: Double = 300
    public var authFailureBlock: Double = 300

    // Response SLA: acknowledgement windows per severity, in seconds (SPEC §3).
    public var ackWindows: [IncidentSeverity: TimeInterval] = [:]

    // Chat
    public var slackSigningSecret: String? = nil

    // Prometheus: a bearer token /metrics requires; nil leaves it open.
    public var metricsToken: String? = nil

    // Browser dashboards: origins allowed by CORS; empty allows none.
    public var corsAllowedOrigins: [String] = []
    // How long a cached dashboard answer may lag a change made by another process (ADR 0003).
    public var responseCacheTTLMilliseconds = 1000
    // Alert-ingest batches that may run at once (ADR 0004: one lane ingested most on two cores).
    public var groupCommitLanes = 1

    // The live stream (SPEC §8, docs/STREAMING.md): bytes a slow reader may have waiting before it
    // is cut, the keep-alive comment's interval, and the streams one process holds at most.
    public var streamBufferBytes = 256 * 1024
    public var streamKeepAliveMilliseconds = 15_000
    public var maxStreams = 8_000
    // Notifications (docs/NOTIFICATIONS.md): the outbound clients and the delivery workers.
    /// PEM certificates trusted besides the system store, for webhooks and the mail server.
    public var caFile: String? = nil
    /// The SSRF guard: restricted ranges that may be reached anyway (`INCIDENTD_OUTBOUND_ALLOW`).
    public var outboundPolicy = DestinationPolicy()
    /// Where mail is submitted (`smtp://`, `smtps://`); nil: email channels cannot send.
    public var smtpURL: String? = nil
    /// Seconds one webhook or Slack request may take, connect to last byte.
    public var httpTimeout: Double = 10
    /// Seconds one mail dialogue may take, connect to QUIT.
    public var smtpTimeout: Double = 30
    /// Backoff, lease, sender threads and `From:` of the delivery workers.
    public var delivery = DeliveryWorker.Settings()

    // Logging
    public var logLevel: String = "info"

    public init() {}

    /// Applies the environment variables that are set (see docs/OPERATIONS.md).
    public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        if let value = environment["HOST"], !value.isEmpty { host = value }
        if let value = environment["PORT"] { port = try Self.int(value, name: "PORT", range: 0...65535) }
        if let value = environment["DATABASE_URL"], !value.isEmpty { databaseURL = value }
        defaultDataDirectory = Self.defaultDataDirectory(environment: environment, isRoot: geteuid() == 0)
        if let value = environment["INCIDENTD_DATA_DIR"], !value.isEmpty {
            dataDirectory = Self.absolute(value)
        }
        if let value = environment["INCIDENTD_MIGRATIONS_DIR"], !value.isEmpty { migrationsDirectory = value }
        if let value = environment["INCIDENTD_POOL_SIZE"] {
            poolSize = try Self.int(value, name: "INCIDENTD_POOL_SIZE", range: 1...1000)
        }
        if let value = environment["INCIDENTD_WORKER_THREADS"] {
            workerThreads = try Self.int(value, name: "INCIDENTD_WORKER_THREADS", range: 1...4096)
        }
        if let value = environment["INCIDENTD_MAX_CONNECTIONS"] {
            maxConnections = try Self.int(value, name: "INCIDENTD_MAX_CONNECTIONS", range: 1...1_000_000)
        }
        if let value = environment["INCIDENTD_MAX_BODY_BYTES"] {
            maxBodyBytes = try Self.int(value, name: "INCIDENTD_MAX_BODY_BYTES", range: 1024...(256 << 20))
        }
        if let value = environment["INCIDENTD_STATEMENT_TIMEOUT_MS"] {
            statementTimeoutMilliseconds = try Self.int(
                value, name: "INCIDENTD_STATEMENT_TIMEOUT_MS", range: 0...3_600_000)
        }
        if let value = environment["INCIDENTD_REQUEST_TIMEOUT"] {
            requestTimeout = try Self.duration(value, name: "INCIDENTD_REQUEST_TIMEOUT")
        }
        if let value = environment["INCIDENTD_REQUEST_READ_TIMEOUT"] {
            requestReadTimeout = try Self.duration(value, name: "INCIDENTD_REQUEST_READ_TIMEOUT")
        }
        if let value = environment[Self.tlsCertificateVariable], !value.isEmpty { tlsCertificateFile = value }
        if let value = environment[Self.tlsKeyVariable], !value.isEmpty { tlsKeyFile = value }
        if let value = environment[Self.trustedProxiesVariable] {
            trustedProxies = try Self.trustedProxies(value, name: Self.trustedProxiesVariable)
        }
        if let value = environment["INCIDENTD_LOG_LEVEL"], !value.isEmpty { logLevel = value }
        if let value = environment["INCIDENTD_AUTH_MAX_FAILURES"] {
            maxAuthFailures = try Self.int(value, name: "INCIDENTD_AUTH_MAX_FAILURES", range: 1...1_000_000)
        }
        if let value = environment["INCIDENTD_AUTH_FAILURE_WINDOW"] {
            authFailureWindow = try Self.duration(value, name: "INCIDENTD_AUTH_FAILURE_WINDOW")
        }
        if let value = environment["INCIDENTD_AUTH_BLOCK"] {
            authFailureBlock = try Self.duration(value, name: "INCIDENTD_AUTH_BLOCK")
        }
        for severity in IncidentSeverity.allCases {
            let name = "INCIDENTD_SLA_ACK_\(severity.rawValue)"
            if let value = environment[name] { ackWindows[severity] = try Self.duration(value, name: name) }
        }
        if let value = environment["INCIDENTD_SLACK_SIGNING_SECRET"], !value.isEmpty {
            slackSigningSecret = value
        }
        if let value = environment["INCIDENTD_METRICS_TOKEN"], !value.isEmpty { metricsToken = value }
        if let value = environment["INCIDENTD_RESPONSE_CACHE_TTL_MS"] {
            responseCacheTTLMilliseconds = try Self.int(
                value, name: "INCIDENTD_RESPONSE_CACHE_TTL_MS", range: 0...60_000)
        }
        if let value = environment["INCIDENTD_GROUP_COMMIT_LANES"] {
            groupCommitLanes = try Self.int(value, name: "INCIDENTD_GROUP_COMMIT_LANES", range: 1...64)
        }
        try applyStreamSettings(environment)
        try applyOutbound(environment: environment)
        if let value = environment["INCIDENTD_CORS_ORIGINS"] {
            corsAllowedOrigins = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
        }
    }

    /// A duration such as `90`, `15m`, `4h` or `1d`, in seconds.
    public static func duration(_ text: String, name: String) throws(ConfigurationError) -> TimeInterval {
        guard let seconds = SLAPolicy.parseDuration(text.trimmingCharacters(in: .whitespaces)), seconds > 0
        else {
            throw ConfigurationError("\(name) must be a duration such as 90, 15m, 4h or 1d, got '\(text)'")
        }
        return seconds
    }

    static func int(_ text: String, name: String, range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw ConfigurationError(
                "\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }
}

/// A setting that cannot be used, with a message naming it.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
