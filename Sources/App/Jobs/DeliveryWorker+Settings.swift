import Domain
import Foundation
import Notifications

extension DeliveryWorker {
    /// How the delivery workers run (docs/OPERATIONS.md, docs/NOTIFICATIONS.md).
    public struct Settings: Sendable {
        /// Longest wait between two looks at the outbox when no NOTIFY arrives (SPEC: ≤ 1 s).
        public var pollInterval: TimeInterval = 1
        /// Deliveries one claim takes.
        public var batchSize = 10
        /// Outcomes of one claim are recorded in one transaction when its batch is done, or
        /// once the oldest unrecorded outcome is this old (seconds): one commit per batch to a
        /// fast receiver, each outcome soon after its send to a slow one.
        public var recordWithin: TimeInterval = 0.2
        /// How long a claim holds a delivery: a process killed mid-send leaves it to be claimed
        /// again this long after the claim (`INCIDENTD_DELIVERY_LEASE`).
        public var lease: TimeInterval = 60
        /// The longest one send may take (the transport's longest total timeout plus
        /// ``sendMargin``; `Configuration.deliverySettings(for:)` sets it): a claimed delivery is
        /// not sent once less than this is left of its lease, so it can never be sent by two
        /// processes at once; it is claimed again instead.
        public var sendTimeout: TimeInterval = 15
        /// Added to the transport's timeout for ``sendTimeout``: rendering, the mail thread lookup
        /// and clock steps between the claim and the send.
        public static let sendMargin: TimeInterval = 2
        /// Sender threads per process (`INCIDENTD_DELIVERY_WORKERS`): a slow receiver holds one.
        public var senders = 4
        /// SPEC §9 `INCIDENTD_DELIVERY_BACKOFF`.
        public var backoff = DeliveryBackoff.standard
        /// `From:` of mail (`INCIDENTD_SMTP_FROM`).
        public var mailFrom = "incidentd@localhost"

        public init() {}

        /// The defaults with the environment's variables applied (``apply(environment:)``).
        public init(environment: [String: String]) throws(ConfigurationError) {
            self.init()
            try apply(environment: environment)
        }

        /// Applies `INCIDENTD_DELIVERY_BACKOFF`, `INCIDENTD_DELIVERY_LEASE`,
        /// `INCIDENTD_DELIVERY_WORKERS` and `INCIDENTD_SMTP_FROM` when they are set. The lease is
        /// checked against the send timeout once the transport is known
        /// (`Configuration.deliverySettings(for:)`).
        public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
            if let text = environment[DeliveryBackoff.environmentVariable] {
                guard let backoff = DeliveryBackoff(parsing: text) else {
                    throw ConfigurationError(
                        "\(DeliveryBackoff.environmentVariable) must be durations such as 5s,30s,2m,1h, got '\(text)'"
                    )
                }
                self.backoff = backoff
            }
            if let text = environment["INCIDENTD_DELIVERY_LEASE"] {
                lease = try Configuration.duration(text, name: "INCIDENTD_DELIVERY_LEASE")
            }
            if let text = environment["INCIDENTD_DELIVERY_WORKERS"] {
                senders = try Configuration.int(text, name: "INCIDENTD_DELIVERY_WORKERS", range: 1...64)
            }
            if let from = environment["INCIDENTD_SMTP_FROM"], !from.isEmpty { mailFrom = from }
        }
    }
}
