import API
import Domain
import Foundation
import Notifications
import Repositories

extension DeliveryWorker {
    /// Sends one claimed delivery and decides what its outcome means (SPEC §9): the record to
    /// write; counted in the metrics, and logged when the delivery is dead.
    func attempt(_ delivery: ClaimedDelivery) -> DeliveryAttemptRecord {
        let outcome = send(delivery)
        let decision = DeliveryDecision.after(
            attempt: delivery.attempt, outcome: outcome, backoff: settings.backoff)
        let now = clock()
        let result: DeliveryAttemptRecord.Result
        switch decision {
        case .delivered:
            result = .delivered
            metrics.record(.delivered, latency: max(0, now.timeIntervalSince(delivery.createdAt)))
        case .retry(let after):
            result = .retry(at: now.addingTimeInterval(after))
            metrics.record(.retried)
        case .dead(let disable):
            result = .dead(disableChannel: disable)
            metrics.record(.dead)
            logger.warning(
                "delivery_dead",
                [
                    "delivery": .int(Int(delivery.id)), "target": .string(delivery.target.label),
                    "status": .string(outcome.status.map(String.init) ?? "none"),
                    "error": .string(outcome.error ?? ""),
                ])
        }
        return DeliveryAttemptRecord(result: result, status: outcome.status, error: outcome.error)
    }

    /// Records `outcomes` in one transaction, one statement (one commit for a batch of fast
    /// sends).
    func record(_ outcomes: [(ClaimedDelivery, DeliveryAttemptRecord)]) throws {
        guard !outcomes.isEmpty else { return }
        let now = clock()
        let recorded = try pool.withTransaction { connection in
            try DeliveryRepository(connection).recordAll(outcomes, now: now)
        }
        for (delivery, _) in outcomes where !recorded.contains(delivery.id) {
            // Redelivered or deleted meanwhile: that newer state stands.
            logger.info("delivery_outcome_superseded", ["delivery": .int(Int(delivery.id))])
        }
    }

    /// Renders and sends `delivery` through the transport to its channel or contact method
    /// (the same three kinds); what happened, classified.
    func send(_ delivery: ClaimedDelivery) -> DeliveryOutcome {
        let target = delivery.target
        do {
            switch target.kind {
            case .webhook:
                let body = try EventJSON.encode(delivery.event)
                let now = clock()
                let headers = WebhookSignature.headers(
                    deliveryID: delivery.id, timestamp: Int64(now.timeIntervalSince1970), body: body,
                    secrets: target.signingSecrets(at: now))
                return DeliveryOutcome.http(
                    Result { () throws(DeliveryTransportError) in
                        try transport.post(
                            WebhookRequest(url: target.url ?? "", headers: headers, body: body))
                    }, now: now)
            case .slack:
                let body = try SlackRendering.body(delivery.event)
                let request = WebhookRequest(
                    url: target.url ?? "", headers: [.init("Content-Type", "application/json")], body: body)
                return DeliveryOutcome.http(
                    Result { () throws(DeliveryTransportError) in try transport.post(request) }, now: clock())
            case .email:
                let earlier =
                    try delivery.event.incidentID.map { incident in
                        try pool.withConnection {
                            try DeliveryRepository($0).thread(
                                target: target, incidentID: incident, before: delivery.id)
                        }
                    } ?? []
                let message = EmailRendering.message(
                    delivery.event, deliveryID: delivery.id, from: settings.mailFrom,
                    to: target.recipients ?? [],
                    earlierDeliveryIDs: earlier)
                return DeliveryOutcome.email(
                    Result { () throws(DeliveryTransportError) in try transport.send(message) })
            }
        } catch {
            // Rendering or the thread lookup failed: nothing was sent; try again later.
            return DeliveryOutcome(.retry(retryAfter: nil), status: nil, error: "not sent: \(error)")
        }
    }
}
