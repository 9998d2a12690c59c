import Foundation
import HTTPClient
import Notifications
import Outbound

/// A ``DeliveryTransport`` over the product's own outbound HTTP client, for escalation tests
/// that send pages to a real loopback receiver (`INCIDENTD_OUTBOUND_ALLOW=127.0.0.0/8` in the
/// client's destination policy). Mail is not configured here: the tests page webhooks.
final class ReceiverTransport: DeliveryTransport {
    private let client: HTTPClient

    init() throws {
        client = HTTPClient(
            configuration: try HTTPClientConfiguration(
                caFile: nil, destinationPolicy: try DestinationPolicy(allowList: "127.0.0.0/8")))
    }

    func post(_ request: WebhookRequest) throws(DeliveryTransportError) -> WebhookResponse {
        do {
            let response = try client.send(
                HTTPClientRequest(
                    method: "POST", url: request.url, headers: request.headers.map { ($0.name, $0.value) },
                    body: request.body))
            return WebhookResponse(
                status: response.status, headers: response.headers.map { .init($0.name, $0.value) },
                body: response.body)
        } catch {
            throw DeliveryTransportError(error.kind == .timeout ? .timeout : .connect, error.message)
        }
    }

    func send(_ message: EmailMessage) throws(DeliveryTransportError) {
        throw DeliveryTransportError(.notConfigured, "no SMTP server in this test")
    }
}
