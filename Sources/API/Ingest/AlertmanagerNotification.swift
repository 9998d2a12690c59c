/// A Prometheus Alertmanager webhook notification, payload version 4 (issue 5), decoded with
/// Alertmanager's own field names. Fields it may leave out are optional, so that a partial
/// notification is still processed: Alertmanager drops any notification answered with a 4xx.
struct AlertmanagerNotification: Decodable {
    let version: String?
    let groupKey: String?
    /// How many alerts Alertmanager left out because of the receiver's `max_alerts`.
    let truncatedAlerts: Int?
    let status: String?
    let receiver: String?
    let externalURL: String?
    let alerts: [Entry]

    /// One entry of `alerts[]`: one alert, identified by its `fingerprint`.
    struct Entry: Decodable {
        let status: String?
        let labels: [String: String]?
        let annotations: [String: String]?
        let startsAt: String?
        let endsAt: String?
        let generatorURL: String?
        let fingerprint: String?

        /// `resolved` resolves; anything else (`firing`) triggers.
        var isResolved: Bool { status?.lowercased() == "resolved" }
    }
}
