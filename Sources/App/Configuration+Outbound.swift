import API
import Foundation
import HTTPClient
import Outbound
import SMTPClient

/// The outbound side of the configuration (docs/NOTIFICATIONS.md, docs/OPERATIONS.md): the CA
/// file, the SSRF guard's allow list, the mail server, the clients' timeouts, and the delivery
/// workers' settings; and the transport and worker settings made from them. Anything unusable
/// stops the start-up with a message naming the variable.
extension Configuration {
    /// Applies `INCIDENTD_CA_FILE`, `INCIDENTD_OUTBOUND_ALLOW`, `INCIDENTD_SMTP_URL`,
    /// `INCIDENTD_HTTP_TIMEOUT`, `INCIDENTD_SMTP_TIMEOUT` and the delivery workers' variables.
    mutating func applyOutbound(environment: [String: String]) throws(ConfigurationError) {
        if let value = environment["INCIDENTD_CA_FILE"], !value.isEmpty { caFile = value }
        if let value = environment["INCIDENTD_OUTBOUND_ALLOW"] {
            try setOutboundAllowList(value, name: "INCIDENTD_OUTBOUND_ALLOW")
        }
        if let value = environment["INCIDENTD_SMTP_URL"], !value.isEmpty { smtpURL = value }
        if let value = environment["INCIDENTD_HTTP_TIMEOUT"] {
            httpTimeout = try Self.duration(value, name: "INCIDENTD_HTTP_TIMEOUT")
        }
        if let value = environment["INCIDENTD_SMTP_TIMEOUT"] {
            smtpTimeout = try Self.duration(value, name: "INCIDENTD_SMTP_TIMEOUT")
        }
        try delivery.apply(environment: environment)
    }

    /// Sets the SSRF guard's allow list from comma-separated CIDRs (`127.0.0.0/8, ::1`); `name`
    /// is the variable or flag it came from, for the message when an entry does not parse.
    public mutating func setOutboundAllowList(_ text: String, name: String) throws(ConfigurationError) {
        do { outboundPolicy = try DestinationPolicy(allowList: text) } catch {
            throw ConfigurationError("\(name): \(error.message)")
        }
    }

    /// The HTTP and SMTP clients the delivery workers send with. Throws when the CA file cannot
    /// be loaded (never a silent fall-back to the system store alone) or the mail settings are
    /// unusable.
    public func makeDeliveryTransport() throws(ConfigurationError) -> NetworkTransport {
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            throw ConfigurationError("INCIDENTD_CA_FILE: '\(caFile)' is not a readable file")
        }
        let limits = HTTPClientLimits(
            connectTimeout: min(5, httpTimeout), readTimeout: httpTimeout, totalTimeout: httpTimeout)
        let http: HTTPClientConfiguration
        do {
            http = try HTTPClientConfiguration(
                caFile: caFile, destinationPolicy: outboundPolicy, limits: limits,
                userAgent: "incidentd/\(IncidentdVersion.current)",
                // A connection per request cost four times the CPU of a kept one to a local
                // receiver (docs/PERFORMANCE.md, "Notifications").
                keepAlive: HTTPClientConfiguration.KeepAlive())
        } catch {
            throw ConfigurationError("INCIDENTD_CA_FILE: \(error.message)")
        }
        var smtp: SMTPClient?
        if let smtpURL {
            do {
                smtp = SMTPClient(
                    configuration: try SMTPConfiguration(
                        url: smtpURL, from: delivery.mailFrom, caFile: caFile,
                        destinationPolicy: outboundPolicy,
                        limits: SMTPLimits(
                            connectTimeout: min(10, smtpTimeout), commandTimeout: smtpTimeout,
                            totalTimeout: smtpTimeout)))
            } catch {
                // The URL itself is not echoed: it may carry the mail server's password.
                throw ConfigurationError("INCIDENTD_SMTP_URL / INCIDENTD_SMTP_FROM: \(error.text)")
            }
        }
        return NetworkTransport(http: HTTPClient(configuration: http), smtp: smtp)
    }

    /// The delivery workers' settings for `transport`: a send may take up to its longest
    /// timeout plus ``DeliveryWorker/Settings/sendMargin``, and the lease must be longer than
    /// that, or one attempt could be sent by two processes.
    public func deliverySettings(for transport: NetworkTransport) throws(ConfigurationError)
        -> DeliveryWorker.Settings
    {
        var settings = delivery
        settings.sendTimeout = transport.longestSend + DeliveryWorker.Settings.sendMargin
        guard settings.lease > settings.sendTimeout else {
            throw ConfigurationError(
                "INCIDENTD_DELIVERY_LEASE (\(Int(settings.lease))s) must be longer than the longest send, "
                    + "\(Int(settings.sendTimeout.rounded(.up)))s (INCIDENTD_HTTP_TIMEOUT, INCIDENTD_SMTP_TIMEOUT, "
                    + "plus \(Int(DeliveryWorker.Settings.sendMargin))s)")
        }
        return settings
    }
}
