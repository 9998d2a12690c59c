import Foundation
import Notifications
import Testing

/// SPEC §9's outcome rules and backoff schedule, as pure functions of an attempt's result.
@Suite struct DeliveryOutcomeTests {
    private func http(_ status: Int, headers: [WebhookRequest.Header] = [], body: String = "")
        -> DeliveryOutcome
    {
        DeliveryOutcome.http(
            .success(WebhookResponse(status: status, headers: headers, body: Array(body.utf8))))
    }

    @Test func everyHTTPStatusIsDeliveredRetriedDeadOrDisablingAsTheSpecSays() {
        for status in 100...599 {
            let verdict = http(status).verdict
            switch status {
            case 200..<300: #expect(verdict == .delivered, "\(status)")
            case 410: #expect(verdict == .deadDisablingChannel, "\(status)")
            case 300..<400, 408, 425, 429, 500..<600: #expect(verdict == .retry(retryAfter: nil), "\(status)")
            default: #expect(verdict == .dead, "\(status)")
            }
        }
    }

    @Test func lastErrorHoldsTheStatusAndTheStartOfTheBody() {
        let outcome = http(404, body: "  no such hook \n")
        #expect(outcome.status == 404)
        #expect(outcome.error == "HTTP 404: no such hook")
        #expect(http(503, body: String(repeating: "x", count: 5000)).error?.count == "HTTP 503: ".count + 200)
        #expect(http(200).error == nil)
    }

    @Test func retryAfterIsHonouredInSecondsOrAsAnHTTPDateAndCapped() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(http(429, headers: [.init("Retry-After", "120")]).verdict == .retry(retryAfter: 120))
        let date = DeliveryOutcome.http(
            .success(
                WebhookResponse(status: 429, headers: [.init("retry-after", "Fri, 15 Jan 2027 08:00:30 GMT")])
            ),
            now: Date(timeIntervalSince1970: 1_800_000_000 + 0))
        // 1_800_000_000 is 2027-01-15T08:00:00Z.
        #expect(date.verdict == .retry(retryAfter: 30))
        #expect(DeliveryOutcome.retryAfterSeconds("99999999", now: now) == DeliveryOutcome.maxRetryAfter)
        #expect(http(429, headers: [.init("Retry-After", "soon")]).verdict == .retry(retryAfter: nil))
    }

    @Test func transportFailuresAreRetriedExceptAnUnusableOrRefusedDestination() {
        let retried: [DeliveryTransportError.Kind] = [
            .dns, .connect, .tls, .timeout, .protocolViolation, .responseTooLarge, .notConfigured,
        ]
        for kind in retried {
            let outcome = DeliveryOutcome.http(.failure(DeliveryTransportError(kind, "boom")))
            #expect(
                outcome.verdict == .retry(retryAfter: nil) && outcome.status == nil && outcome.error == "boom"
            )
        }
        for kind in [DeliveryTransportError.Kind.invalidURL, .refusedDestination] {
            #expect(DeliveryOutcome.http(.failure(DeliveryTransportError(kind, "no"))).verdict == .dead)
        }
    }

    @Test func smtpFourHundredsAreRetriedFiveHundredsAreDeadWithTheReplyCodeKept() {
        let busy = DeliveryOutcome.email(
            .failure(DeliveryTransportError(.smtp(code: 451, transient: true), "451 try later")))
        #expect(busy == DeliveryOutcome(.retry(retryAfter: nil), status: 451, error: "451 try later"))
        let refused = DeliveryOutcome.email(
            .failure(DeliveryTransportError(.smtp(code: 550, transient: false), "550 no such user")))
        #expect(refused == DeliveryOutcome(.dead, status: 550, error: "550 no such user"))
        #expect(DeliveryOutcome.email(.success(())).verdict == .delivered)
        let dropped = DeliveryOutcome.email(.failure(DeliveryTransportError(.connect, "refused")))
        #expect(dropped.verdict == .retry(retryAfter: nil))
    }

    @Test func theDefaultScheduleGivesNineAttemptsThenDead() {
        let backoff = DeliveryBackoff(parsing: "5s,30s,2m,10m,30m,1h,3h,6h")
        #expect(backoff == DeliveryBackoff.standard)
        let retry = DeliveryOutcome(.retry(retryAfter: nil), status: 503, error: "HTTP 503")
        let waits = (1...9).map { DeliveryDecision.after(attempt: $0, outcome: retry, backoff: .standard) }
        #expect(
            waits == [5, 30, 120, 600, 1800, 3600, 10_800, 21_600].map { .retry(after: $0) } + [
                .dead(disableChannel: false)
            ])
        let throttled = DeliveryOutcome(.retry(retryAfter: 42), status: 429, error: nil)
        #expect(
            DeliveryDecision.after(attempt: 1, outcome: throttled, backoff: .standard) == .retry(after: 42))
        #expect(
            DeliveryDecision.after(attempt: 9, outcome: throttled, backoff: .standard)
                == .dead(disableChannel: false))
        let gone = DeliveryOutcome(.deadDisablingChannel, status: 410, error: nil)
        #expect(
            DeliveryDecision.after(attempt: 1, outcome: gone, backoff: .standard)
                == .dead(disableChannel: true))
    }

    @Test func backoffParsingTakesUnitsAndRefusesNonsense() {
        #expect(DeliveryBackoff(parsing: "250ms, 1, 2m,1d")?.delays == [0.25, 1, 120, 86_400])
        for bad in ["", "5s,,6s", "five", "-1s", "1w"] {
            #expect(DeliveryBackoff(parsing: bad) == nil, "\(bad)")
        }
    }
}
