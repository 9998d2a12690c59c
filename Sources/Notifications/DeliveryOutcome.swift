import Foundation

/// What one attempt's result means for a delivery (SPEC §9), before the backoff schedule is
/// applied (``DeliveryDecision``).
public struct DeliveryOutcome: Sendable, Equatable {
    public enum Verdict: Sendable, Equatable {
        case delivered
        /// Try again later; the receiver's `Retry-After` (seconds) when it sent one.
        case retry(retryAfter: TimeInterval?)
        /// Never try again.
        case dead
        /// Never try again, and disable the channel (410 Gone; Slack's archived channel).
        case deadDisablingChannel
    }

    public var verdict: Verdict
    /// HTTP status or SMTP reply code (SPEC §14), nil when there was no answer.
    public var status: Int?
    /// What went wrong, nil when delivered.
    public var error: String?

    public init(_ verdict: Verdict, status: Int?, error: String?) {
        self.verdict = verdict
        self.status = status
        self.error = error
    }

    /// Longest response body kept in `last_error`.
    public static let maxErrorBodyBytes = 200
    /// Longest `Retry-After` honoured: a receiver cannot park a delivery for more than a day.
    public static let maxRetryAfter: TimeInterval = 86_400

    /// SPEC §9 for an HTTP attempt (webhook and Slack channels): 2xx delivered; connect, TLS,
    /// DNS, timeout, a garbled or oversized answer, 3xx (redirects are not followed), 408, 425,
    /// 429 (with `Retry-After`) and 5xx retried; 410 dead and the channel disabled; any other 4xx
    /// dead at once, as are an unusable URL and a destination the SSRF guard refuses.
    public static func http(_ result: Result<WebhookResponse, DeliveryTransportError>, now: Date = Date())
        -> DeliveryOutcome
    {
        let response: WebhookResponse
        switch result {
        case .failure(let failure):
            switch failure.kind {
            case .invalidURL, .refusedDestination:
                return DeliveryOutcome(.dead, status: nil, error: failure.message)
            default:
                return DeliveryOutcome(.retry(retryAfter: nil), status: nil, error: failure.message)
            }
        case .success(let answer):
            response = answer
        }
        let status = response.status
        let error = "HTTP \(status)" + bodyExcerpt(response.body)
        switch status {
        case 200..<300:
            return DeliveryOutcome(.delivered, status: status, error: nil)
        case 410:
            return DeliveryOutcome(.deadDisablingChannel, status: status, error: error)
        case 429:
            let retryAfter = response.header("Retry-After").flatMap { retryAfterSeconds($0, now: now) }
            return DeliveryOutcome(.retry(retryAfter: retryAfter), status: status, error: error)
        case 300..<400, 408, 425, 500..<600:
            return DeliveryOutcome(.retry(retryAfter: nil), status: status, error: error)
        default:
            return DeliveryOutcome(.dead, status: status, error: error)
        }
    }

    /// SPEC §9 for a mail: accepted is delivered; an SMTP 4xx (or a connection that failed) is
    /// retried, a 5xx is dead. `last_status` is the reply code, `last_error` its text (SPEC §14).
    public static func email(_ result: Result<Void, DeliveryTransportError>) -> DeliveryOutcome {
        switch result {
        case .success:
            return DeliveryOutcome(.delivered, status: 250, error: nil)
        case .failure(let failure):
            switch failure.kind {
            case .smtp(let code, let transient):
                let permanent = code.map { (500..<600).contains($0) } ?? !transient
                return DeliveryOutcome(
                    permanent ? .dead : .retry(retryAfter: nil), status: code, error: failure.message)
            case .invalidURL, .refusedDestination:
                return DeliveryOutcome(.dead, status: nil, error: failure.message)
            default:
                return DeliveryOutcome(.retry(retryAfter: nil), status: nil, error: failure.message)
            }
        }
    }

    /// `Retry-After` as delta-seconds or an HTTP-date (RFC 9110 §10.2.3), in seconds from `now`,
    /// capped at ``maxRetryAfter``; nil when unreadable.
    public static func retryAfterSeconds(_ text: String, now: Date) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed), seconds >= 0 { return min(TimeInterval(seconds), maxRetryAfter) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return min(max(0, date.timeIntervalSince(now)), maxRetryAfter)
    }

    /// `: <the start of the body>` for `last_error`, or nothing for an empty body.
    static func bodyExcerpt(_ body: [UInt8]) -> String {
        guard !body.isEmpty else { return "" }
        let text = String(decoding: body.prefix(maxErrorBodyBytes), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "" : ": " + text
    }
}
