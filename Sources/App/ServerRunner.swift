import API
import Foundation
import HTTPServer
import Log
import Postgres
import Repositories

/// `incidentd serve`: database, migrations, first key, HTTP server and delivery workers, then
/// wait for SIGTERM and shut down in order (stop accepting, finish in-flight requests and
/// sends, close the pool, stop the embedded PostgreSQL, exit 0).
public struct ServerRunner {
    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    public func run() throws {
        ShutdownSignal.block()
        // Before the database: a certificate that cannot be served stops the start at once.
        try configuration.checkTLS()
        let logger = Logger(minimumLevel: Logger.Level(rawValue: configuration.logLevel) ?? .info)
        // Before anything starts: a bad CA file, allow list or mail setting stops the start-up.
        let transport = try configuration.makeDeliveryTransport()
        let deliverySettings = try configuration.deliverySettings(for: transport)
        let database = try DatabaseProvisioner(configuration: configuration, logger: logger, owner: true)
        do {
            try serve(
                database: database, logger: logger,
                delivery: (transport: transport, settings: deliverySettings))
        } catch {
            try database.close()
            throw error
        }
        try database.close()
        logger.info("stopped")
    }

    private func serve(
        database: DatabaseProvisioner, logger: Logger,
        delivery: (transport: NetworkTransport, settings: DeliveryWorker.Settings)
    ) throws {
        let pool = PostgresPool(
            configuration: configuration.poolConfiguration(conninfo: database.conninfo), logger: logger)
        defer { pool.close() }
        let migrations = try MigrationRunner(
            directory: MigrationsLocator.directory(configured: configuration.migrationsDirectory))
        if configuration.migrateOnStart {
            try migrations.migrate(using: pool) { progress in MigrationCommands.log(progress, logger: logger)
            }
        }
        if database.isEmbedded { try issueFirstAdminKeyIfNeeded(pool: pool, logger: logger) }
        let environment = APIEnvironment(
            pool: pool, logger: logger, settings: configuration.apiSettings,
            pendingMigrations: { try migrations.pendingCount(using: pool) })
        // Cached keys are trusted only while this listener hears credential changes (ADR 0003).
        let credentialListener = CredentialChangeListener(
            conninfo: database.conninfo, options: pool.configuration.connection,
            cache: environment.credentials, logger: logger)
        credentialListener.start()
        defer { credentialListener.stop() }
        // SPEC §12: the read-only switch, followed within a second whichever process flips it.
        let readOnlyFollower = ReadOnlyFollower(
            conninfo: database.conninfo, options: pool.configuration.connection,
            readOnly: environment.readOnly, logger: logger)
        readOnlyFollower.start()
        defer { readOnlyFollower.stop() }
        // SPEC §8: streams on this process hear events committed through any process.
        let eventStreamListener = EventStreamListener(
            conninfo: database.conninfo, options: pool.configuration.connection, hub: environment.streams,
            logger: logger)
        eventStreamListener.start()
        defer { eventStreamListener.stop() }
        // SPEC §3 SLA breaches (issue 6): stopped before the pool closes (defers run in reverse).
        let slaJob = SLABreachJob(
            pool: pool, settings: try SLABreachJob.Settings(environment: ProcessInfo.processInfo.environment),
            logger: logger, onChange: { environment.responses.invalidateAll() })
        // SPEC §13 update-due reminders (issue 19): stopped before the pool closes.
        let updateDueJob = UpdateDueJob(
            pool: pool, logger: logger, onChange: { environment.responses.invalidateAll() })
        // GET /metrics (issue 7): the observer counts every answered request; the registry
        // reads open connections, the worker queue and the pool at scrape time.
        let metrics = environment.metrics
        let server = HTTPServer(
            configuration: configuration.httpServerConfiguration,
            responder: APIResponder(routes: Routes.all(), environment: environment),
            middleware: APIResponder.middleware(environment.settings), logger: logger,
            observer: { metrics.observe($0) })
        metrics.attach(server: server, pool: pool, environment: environment)
        // SPEC §12 maintenance windows' starts and ends, in every process (each handled once).
        let maintenanceJob = MaintenanceWindowJob(
            pool: pool,
            settings: try MaintenanceWindowJob.Settings(environment: ProcessInfo.processInfo.environment),
            policy: environment.settings.slaPolicy, logger: logger,
            onChange: { environment.responses.invalidateAll() })
        try server.start()
        slaJob.start()
        defer { slaJob.stop() }
        updateDueJob.start()
        defer { updateDueJob.stop() }
        maintenanceJob.start()
        defer { maintenanceJob.stop() }
        // SPEC §9 deliveries, in every process; stopped before the pool closes.
        let deliveryWorker = DeliveryWorker(
            pool: pool, conninfo: database.conninfo, options: pool.configuration.connection,
            transport: delivery.transport, settings: delivery.settings, logger: logger,
            metrics: environment.metrics.deliveries)
        deliveryWorker.start()
        defer { deliveryWorker.stop() }
        logger.info(
            "delivery_worker_started",
            [
                "senders": .int(delivery.settings.senders),
                "smtp": .string(delivery.transport.smtp == nil ? "not configured" : "configured"),
                "outbound_allow": .string(
                    configuration.outboundPolicy.allowList.map(\.description).joined(separator: ",")),
            ])
        // SPEC §11 escalation, in every process; stopped before the pool closes. Its pages wait
        // in the outbox for whichever process's sender claims them first.
        let escalationWorker = EscalationWorker(
            pool: pool, conninfo: database.conninfo, options: pool.configuration.connection,
            settings: try EscalationWorker.Settings(environment: ProcessInfo.processInfo.environment),
            logger: logger, onChange: { environment.responses.invalidateAll() })
        escalationWorker.start()
        defer { escalationWorker.stop() }
        // SPEC §12 heartbeats: silence counts from no earlier than now, when pings can arrive, so
        // time this process was down is never held against a heartbeat (SPEC §14).
        let heartbeatJob = HeartbeatExpiryJob(
            pool: pool,
            settings: try HeartbeatExpiryJob.Settings(environment: ProcessInfo.processInfo.environment),
            policy: environment.settings.slaPolicy, processStartedAt: Date(), logger: logger,
            onChange: { environment.responses.invalidateAll() })
        heartbeatJob.start()
        defer { heartbeatJob.stop() }
        // Seed 004 "failed auth attempts > 10 in 5 minutes": an alert on the service incidentd.
        let authFailureJob = AuthFailureAlertJob(
            pool: pool, limiter: environment.authFailures, policy: environment.settings.slaPolicy,
            logger: logger,
            onChange: { environment.responses.invalidateAll() })
        authFailureJob.start()
        defer { authFailureJob.stop() }
        logger.info(
            "listening",
            [
                "host": .string(configuration.host ?? "*"), "port": .int(server.boundPort),
                "scheme": .string(server.servesTLS ? "https" : "http"),
                "database": .string(database.isEmbedded ? "embedded" : "DATABASE_URL"),
                "data_directory": .string(database.isEmbedded ? configuration.effectiveDataDirectory : "-"),
            ])
        let signal = ShutdownSignal.wait(onHangUp: { Self.reloadCertificates(server, logger: logger) })
        logger.info("shutting_down", ["signal": .int(Int(signal))])
        server.shutdown(gracePeriod: .seconds(Int64(configuration.shutdownGracePeriod)))
        server.waitUntilStopped()
    }

    /// SIGHUP: the certificate files read again for new connections; a failure is logged and
    /// the old certificate keeps serving.
    static func reloadCertificates(_ server: HTTPServer, logger: Logger) {
        guard server.servesTLS else {
            logger.info("sighup_ignored", ["reason": .string("TLS is not configured")])
            return
        }
        do {
            try server.reloadCertificates()
            logger.info("tls_certificates_reloaded")
        } catch {
            logger.error("tls_certificates_reload_failed", ["error": .string(error.message)])
        }
    }

    /// The embedded default's first start prints an admin key once (SPEC §6), so a new
    /// install is usable; later starts find one and print nothing.
    private func issueFirstAdminKeyIfNeeded(pool: PostgresPool, logger: Logger) throws {
        let issued: APIKeyIssuer.Issued? = try pool.withTransaction { connection in
            // One process at a time decides, so two first starts cannot both issue a key.
            _ = try connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x6b65_7973)))")
            guard try !APIKeyRepository(connection).hasActiveAdmin(now: Date()) else { return nil }
            return try APIKeyIssuer.issue(
                name: "first-admin", role: .admin, expiresAt: nil, connection: connection)
        }
        guard let issued else { return }
        logger.info(
            "first_admin_key_created", ["key_prefix": .string(KeyFormat.apiKeyPrefix + issued.record.keyID)])
        print(
            """

            incidentd: your first admin API key (shown once; store it now):

                \(issued.secret)

            Its database lives in \(configuration.effectiveDataDirectory) (--data-dir or INCIDENTD_DATA_DIR
            to use another); start incidentd with the same folder and this key keeps working.

            Try: curl -H 'Authorization: Bearer \(issued.secret)' http://localhost:\(configuration.port)/api/v1/services

            """)
        fflush(nil)
    }
}
