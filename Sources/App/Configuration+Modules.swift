import API
import Domain
import HTTPServer
import Postgres

/// Translates the process configuration into each module's own.
extension Configuration {
    func poolConfiguration(conninfo: String) -> PostgresPool.Configuration {
        PostgresPool.Configuration(
            conninfo: conninfo, maxConnections: poolSize,
            acquireTimeout: .milliseconds(Int64(poolAcquireTimeout * 1000)),
            connection: PostgresConnection.Options(
                statementTimeout: statementTimeoutMilliseconds > 0
                    ? .milliseconds(Int64(statementTimeoutMilliseconds)) : nil))
    }

    var httpServerConfiguration: HTTPServerConfiguration {
        var limits = HTTPLimits()
        limits.maxBodyBytes = maxBodyBytes
        var timeouts = HTTPTimeouts()
        timeouts.header = .milliseconds(Int64(headerReadTimeout * 1000))
        timeouts.idle = .milliseconds(Int64(idleTimeout * 1000))
        timeouts.requestRead = .milliseconds(Int64(requestReadTimeout * 1000))
        timeouts.requestDeadline = .milliseconds(Int64(requestTimeout * 1000))
        var configuration = HTTPServerConfiguration(
            host: host, port: port, workerCount: workerThreads, maxConnections: maxConnections,
            limits: limits,
            timeouts: timeouts)
        configuration.tls = tlsFiles
        configuration.trustedProxies = trustedProxies
        return configuration
    }

    var apiSettings: APISettings {
        var settings = APISettings()
        settings.maxAuthFailures = maxAuthFailures
        settings.authFailureWindow = authFailureWindow
        settings.authFailureBlock = authFailureBlock
        settings.slaPolicy = SLAPolicy(ackWindows: ackWindows)
        settings.slackSigningSecret = slackSigningSecret
        settings.metricsToken = metricsToken
        settings.corsAllowedOrigins = corsAllowedOrigins
        settings.responseCacheTTL = Double(responseCacheTTLMilliseconds) / 1000
        settings.groupCommitLanes = groupCommitLanes
        settings.streams.bufferBytes = streamBufferBytes
        settings.streams.keepAlive = .milliseconds(Int64(streamKeepAliveMilliseconds))
        settings.streams.maxStreams = maxStreams
        settings.outboundPolicy = outboundPolicy
        return settings
    }
}
