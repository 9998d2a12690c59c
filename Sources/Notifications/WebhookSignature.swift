import Crypto
import Foundation

/// The two signatures of a webhook request (SPEC §9), computed over the exact body bytes sent.
///
/// - Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`
///   where key is the base64-decoded part of the secret after `whsec_`.
/// - `X-Incidentd-Signature: sha256=<hex HMAC-SHA256(the whole secret string as UTF-8, body)>`, for
///   receivers that can only check an HMAC of the body (adnanh's `webhook`, a few lines of code).
///
/// During a secret rotation each header carries one signature per secret, current first:
/// space-separated for Standard Webhooks (its spec), comma-separated for `X-Incidentd-Signature`.
public enum WebhookSignature {
    /// `v1,<base64>` for one secret; nil when the secret is not a `whsec_` secret.
    public static func standard(id: String, timestamp: Int64, body: [UInt8], secret: String) -> String? {
        guard let key = WebhookSecret.key(of: secret) else { return nil }
        let signed = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Data(Crypto.hmacSHA256(key: key, message: signed)).base64EncodedString()
    }

    /// `sha256=<hex>` for one secret.
    public static func incidentd(body: [UInt8], secret: String) -> String {
        "sha256=" + Crypto.hex(Crypto.hmacSHA256(key: Array(secret.utf8), message: body))
    }

    /// Every header of a webhook request for delivery `deliveryID` sent at `timestamp` (Unix
    /// seconds), signed with each of `secrets` (current first).
    public static func headers(deliveryID: Int64, timestamp: Int64, body: [UInt8], secrets: [String])
        -> [WebhookRequest.Header]
    {
        let id = String(deliveryID)
        var headers: [WebhookRequest.Header] = [
            .init("Content-Type", "application/json"),
            .init("User-Agent", "incidentd-webhooks"),
            // SPEC §9: the delivery id, the same on every retry, so receivers can drop repeats.
            .init("webhook-id", id),
            .init("webhook-timestamp", String(timestamp)),
        ]
        guard !secrets.isEmpty else { return headers }
        let signatures = secrets.compactMap { standard(id: id, timestamp: timestamp, body: body, secret: $0) }
        if !signatures.isEmpty {
            headers.append(.init("webhook-signature", signatures.joined(separator: " ")))
        }
        headers.append(
            .init(
                "X-Incidentd-Signature",
                secrets.map { incidentd(body: body, secret: $0) }.joined(separator: ",")))
        return headers
    }
}
