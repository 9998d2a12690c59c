import App
import ArgumentParser

/// `incidentd serve`: run the HTTP API until SIGTERM/SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP API (on the embedded PostgreSQL unless DATABASE_URL is set).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (env HOST). Default: all IPv4 and IPv6 addresses.")
    var host: String?

    @Option(help: "Port to listen on, 0 for any free port (env PORT). Default 8080.")
    var port: Int?

    @Option(
        name: .customLong("request-timeout"),
        help: """
            How long a request may take after its head arrived, e.g. 10, 30s or 1m (env \
            INCIDENTD_REQUEST_TIMEOUT). Database work still running then is cancelled: 503. Default 10.
            """)
    var requestTimeout: String?

    @Option(
        name: .customLong("tls-cert"),
        help:
            "PEM certificate chain, server certificate first: serve HTTPS on the port (env INCIDENTD_TLS_CERT)."
    )
    var tlsCertificate: String?

    @Option(
        name: .customLong("tls-key"),
        help: "PEM private key of --tls-cert (env INCIDENTD_TLS_KEY). SIGHUP reads both again.")
    var tlsKey: String?

    @Option(
        name: .customLong("trusted-proxies"),
        help: """
            Comma-separated address ranges of proxies whose X-Forwarded-For names the client \
            (env INCIDENTD_TRUSTED_PROXIES), e.g. 10.0.0.0/8,::1.
            """)
    var trustedProxies: String?

    @Flag(inversion: .prefixedNo, help: "Apply pending migrations at start.")
    var migrate = true

    @Option(
        name: .customLong("ca-file"),
        help:
            "PEM certificates trusted for webhooks and mail besides the system store (env INCIDENTD_CA_FILE)."
    )
    var caFile: String?

    @Option(
        name: .customLong("outbound-allow"),
        help:
            "Restricted ranges notifications may reach anyway, comma-separated CIDRs (env INCIDENTD_OUTBOUND_ALLOW)."
    )
    var outboundAllow: String?

    @Option(
        name: .customLong("smtp-url"),
        help: "Mail server for email channels, smtp:// or smtps:// (env INCIDENTD_SMTP_URL).")
    var smtpURL: String?

    @Option(name: .customLong("smtp-from"), help: "Sender of notification mail (env INCIDENTD_SMTP_FROM).")
    var smtpFrom: String?

    func run() throws {
        var configuration = try database.configuration()
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
            configuration.port = port
        }
        if let requestTimeout {
            do {
                configuration.requestTimeout = try Configuration.duration(
                    requestTimeout, name: "--request-timeout")
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let tlsCertificate { configuration.tlsCertificateFile = tlsCertificate }
        if let tlsKey { configuration.tlsKeyFile = tlsKey }
        if let trustedProxies {
            do {
                configuration.trustedProxies = try Configuration.trustedProxies(
                    trustedProxies, name: "--trusted-proxies")
            } catch {
                throw ValidationError(error.description)
            }
        }
        configuration.migrateOnStart = migrate
        if let caFile { configuration.caFile = caFile }
        if let outboundAllow {
            do { try configuration.setOutboundAllowList(outboundAllow, name: "--outbound-allow") } catch {
                throw ValidationError(error.description)
            }
        }
        if let smtpURL { configuration.smtpURL = smtpURL }
        if let smtpFrom { configuration.delivery.mailFrom = smtpFrom }
        do {
            try ServerRunner(configuration: configuration).run()
        } catch {
            throw CommandFailure("\(error)")
        }
    }
}

/// An error printed as it is, without ArgumentParser's usage text.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "incidentd: " + description }
}
