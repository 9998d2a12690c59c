import Foundation
import TestSupport
import Testing

/// Helpers of the end-to-end notification tests: an app whose delivery workers send to real
/// receivers on loopback, and reading what happened through the API.
extension TestApp {
    /// The environment such an app starts with, as `incidentd serve` would read it: loopback
    /// allowed through the SSRF guard, the test CA trusted, retries `backoff` apart, mail to
    /// `smtpURL` when given.
    static func loopbackOutbound(smtpURL: String? = nil, backoff: String = "100ms,100ms,100ms") throws
        -> [String: String]
    {
        var environment = [
            "INCIDENTD_OUTBOUND_ALLOW": "127.0.0.0/8",
            "INCIDENTD_CA_FILE": try TestCertificates.shared().caFile,
            "INCIDENTD_DELIVERY_BACKOFF": backoff,
            "INCIDENTD_SMTP_FROM": "incidentd <alerts@incidentd.test>",
        ]
        if let smtpURL { environment["INCIDENTD_SMTP_URL"] = smtpURL }
        return environment
    }

    /// `POST /api/v1/channels` with `json`; the 201 answer's JSON.
    func makeChannel(_ json: String) throws -> [String: Any] {
        let created = try admin("POST", "/api/v1/channels", json: json)
        try #require(created.status == 201, "POST /channels \(json): \(created.bodyText)")
        return created.json
    }

    /// `POST /api/v1/services` for `name`.
    func makeService(_ name: String) throws {
        let created = try admin("POST", "/api/v1/services", json: #"{"name":"\#(name)"}"#)
        try #require(created.status == 201, "POST /services: \(created.bodyText)")
    }

    /// Triggers a critical alert on `service` (it opens an incident); the answer's JSON.
    @discardableResult
    func triggerCritical(service: String, summary: String, dedupKey: String? = nil) throws -> [String: Any] {
        let key = dedupKey.map { #","dedup_key":"\#($0)""# } ?? ""
        let answer = try admin(
            "POST", "/api/v1/alerts",
            json:
                #"{"service":"\#(service)","source":"test","summary":"\#(summary)","severity":"critical"\#(key)}"#
        )
        try #require(answer.status == 201 || answer.status == 200, "POST /alerts: \(answer.bodyText)")
        return answer.json
    }

    /// The deliveries listed for channel `id` (`GET /api/v1/deliveries?channel=`), oldest first.
    func deliveries(channel id: Any, state: String? = nil) throws -> [[String: Any]] {
        let query = state.map { "&state=\($0)" } ?? ""
        let listed = try admin("GET", "/api/v1/deliveries?limit=500&channel=\(id)\(query)")
        try #require(listed.status == 200, "GET /deliveries: \(listed.bodyText)")
        let items = listed.json["items"] as? [[String: Any]] ?? []
        return items.sorted { ($0["id"] as? Int ?? 0) < ($1["id"] as? Int ?? 0) }
    }

    /// Waits until channel `id` has `count` deliveries all in `state`; they, oldest first.
    func awaitDeliveries(channel id: Any, count: Int, state: String, seconds: TimeInterval = 20) throws
        -> [[String: Any]]
    {
        var found: [[String: Any]] = []
        _ = try eventually(seconds) {
            found = try deliveries(channel: id)
            return found.count == count && found.allSatisfy { $0["state"] as? String == state }
        }
        return found
    }
}
