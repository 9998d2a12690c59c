import Foundation
import HTTPClient
import Notifications
import SMTPClient

/// The delivery workers' way out (SPEC §9): webhook and Slack POSTs through our ``HTTPClient``,
/// mail through our ``SMTPClient``, both behind the SSRF guard and verified TLS. It only
/// translates: requests into the clients' types, their errors into ``DeliveryTransportError``
/// (HTTP error kinds to the same-named kinds, an SMTP refusal or failure to `.smtp` with its
/// reply code and whether it is transient). What an outcome means is decided by the worker
/// (``DeliveryOutcome``).
public final class NetworkTransport: DeliveryTransport {
    public let http: HTTPClient
    /// nil when no mail server is configured (`INCIDENTD_SMTP_URL` unset): mail is `.notConfigured`.
    public let smtp: SMTPClient?

    public init(http: HTTPClient, smtp: SMTPClient?) {
        self.http = http
        self.smtp = smtp
    }

    /// The longest one send may take, in seconds: the HTTP client's total timeout, or the SMTP
    /// client's when mail is configured and it is longer. The delivery workers never start a
    /// send with less than this (plus a margin) left of a claim's lease.
    public var longestSend: TimeInterval {
        max(http.configuration.limits.totalTimeout, smtp?.configuration.limits.totalTimeout ?? 0)
    }

    public func post(_ request: WebhookRequest) throws(DeliveryTransportError) -> WebhookResponse {
        let response: HTTPClientResponse
        do {
            response = try http.send(
                HTTPClientRequest(
                    method: "POST", url: request.url, headers: request.headers.map { ($0.name, $0.value) },
                    body: request.body))
        } catch {
            throw DeliveryTransportError(Self.kind(of: error), error.message)
        }
        return WebhookResponse(
            status: response.status,
            headers: response.headers.map { WebhookRequest.Header($0.name, $0.value) },
            body: response.body)
    }

    public func send(_ message: EmailMessage) throws(DeliveryTransportError) {
        guard let smtp else {
            throw DeliveryTransportError(
                .notConfigured, "no mail server is configured: set INCIDENTD_SMTP_URL")
        }
        let mail = MailMessage(
            from: message.from, to: message.to, subject: message.subject, body: message.body,
            messageID: message.messageID, inReplyTo: message.inReplyTo, references: message.references,
            // RFC 3834: a notifier's mail is auto-generated, so vacation responders stay quiet.
            extraHeaders: [("Auto-Submitted", "auto-generated")])
        do {
            _ = try smtp.send(mail)
        } catch {
            throw DeliveryTransportError(
                .smtp(code: error.code, transient: error.isTransient), error.description)
        }
    }

    /// `HTTPClientError.Kind` as the same-named ``DeliveryTransportError/Kind``.
    static func kind(of error: HTTPClientError) -> DeliveryTransportError.Kind {
        switch error.kind {
        case .invalidURL: .invalidURL
        case .refusedDestination: .refusedDestination
        case .dns: .dns
        case .connect: .connect
        case .tls: .tls
        case .timeout: .timeout
        case .protocolViolation: .protocolViolation
        case .responseTooLarge: .responseTooLarge
        }
    }
}
