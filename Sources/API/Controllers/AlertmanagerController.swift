import Crypto
import Domain
import Foundation
import HTTPServer
import Repositories

/// `POST /api/v1/integrations/alertmanager`: Prometheus Alertmanager webhooks (payload
/// version 4), the routing key as Bearer token (issue 5).
///
/// The whole notification is one transaction (the router's, ADR 0002): every alert of a group
/// lands, or none does. Alertmanager retries only 5xx and network errors and drops anything
/// answered 4xx, so content is cleaned up rather than refused, an unavailable database answers
/// 503 with `Retry-After` (ProblemMapping), and a retried notification changes nothing:
/// identical firing alerts are left alone (`AlertRepeatPolicy.ignoreIdenticalRepeats`) and
/// resolving a resolved alert finds nothing open.
enum AlertmanagerController {
    /// What a notification did, for the sender's logs (Alertmanager ignores the body).
    struct Summary: Encodable {
        var status = "success"
        var alerts = 0
        var triggered = 0
        var updated = 0
        var resolved = 0
        var unchanged = 0
        var truncatedAlerts = 0

        enum CodingKeys: String, CodingKey {
            case status, alerts, triggered, updated, resolved, unchanged
            case truncatedAlerts = "truncated_alerts"
        }
    }

    @Sendable static func receive(_ context: RequestContext) throws -> HTTPResponse {
        // NUL is cleaned out (AlertmanagerMapping), not refused: Alertmanager drops a 4xx'd
        // notification, and with it every alert in the group.
        let notification = try context.request.decodeJSON(AlertmanagerNotification.self, allowingNUL: true)
        let target = try AlertIngestion.target(
            requested: nil, principal: context.principal, route: context.request.routePattern)
        guard let serviceName = target.serviceName, let serviceID = target.serviceID else {
            throw ProblemDetails(status: 500, detail: "The routing key's service was not found.")
        }
        var summary = Summary(
            alerts: notification.alerts.count, truncatedAlerts: notification.truncatedAlerts ?? 0)
        // One lock order for every notification (by dedup key), so two notifications sharing
        // alerts queue on each other instead of deadlocking.
        let entries = notification.alerts.map { (dedupKey: AlertmanagerMapping.dedupKey($0), entry: $0) }
            .sorted { $0.dedupKey < $1.dedupKey }
        for (dedupKey, entry) in entries {
            if entry.isResolved {
                let resolution = "Resolved in Alertmanager" + (entry.endsAt.map { " at \($0)" } ?? "")
                let result = try AlertRepository(context.connection).resolveOpen(
                    serviceID: serviceID, dedupKey: dedupKey, startedAt: entry.startsAt,
                    actor: context.principal.actorName, resolution: resolution, now: context.now)
                if let result { context.changed(AlertIngestion.families(of: result.record)) }
                if result?.changed == true { summary.resolved += 1 } else { summary.unchanged += 1 }
                continue
            }
            let alert = try AlertmanagerMapping.newAlert(
                entry, dedupKey: dedupKey, service: serviceName, externalURL: notification.externalURL)
            let result = try AlertIngestion.trigger(
                alert, serviceID: serviceID, context: context, repeats: .ignoreIdenticalRepeats)
            switch result?.isNew {
            case true?: summary.triggered += 1
            case false?: summary.updated += 1
            case nil: summary.unchanged += 1
            }
        }
        return try APIJSON.response(summary)
    }
}
