import Foundation
import Notifications
import Synchronization

/// A ``DeliveryTransport`` test double that answers from a script and records every request:
/// used only where no network is involved (outcome classification, backoff, claiming, the
/// worker's bookkeeping). Real receivers (HTTP, SMTP) test the outbound clients themselves.
final class ScriptedTransport: DeliveryTransport {
    /// What the next sends get, per URL (or per first recipient for mail); the last answer
    /// repeats once the script runs out.
    enum Answer: Sendable {
        case status(Int, headers: [WebhookRequest.Header] = [], body: String = "")
        case failure(DeliveryTransportError)
        case accepted
    }

    private struct State {
        var scripts: [String: [Answer]] = [:]
        var requests: [WebhookRequest] = []
        var mails: [EmailMessage] = []
    }

    private let state = Mutex(State())

    /// Sets the answers for `destination`.
    func script(_ destination: String, _ answers: [Answer]) {
        state.withLock { $0.scripts[destination] = answers }
    }

    var requests: [WebhookRequest] { state.withLock { $0.requests } }
    var mails: [EmailMessage] { state.withLock { $0.mails } }

    private func next(_ destination: String) -> Answer {
        state.withLock { state in
            guard var answers = state.scripts[destination], let first = answers.first else {
                return .status(200)
            }
            if answers.count > 1 { answers.removeFirst() }
            state.scripts[destination] = answers
            return first
        }
    }

    func post(_ request: WebhookRequest) throws(DeliveryTransportError) -> WebhookResponse {
        state.withLock { $0.requests.append(request) }
        switch next(request.url) {
        case .status(let status, let headers, let body):
            return WebhookResponse(status: status, headers: headers, body: Array(body.utf8))
        case .failure(let error): throw error
        case .accepted: return WebhookResponse(status: 200)
        }
    }

    func send(_ message: EmailMessage) throws(DeliveryTransportError) {
        state.withLock { $0.mails.append(message) }
        switch next(message.to.first ?? "") {
        case .failure(let error): throw error
        default: return
        }
    }
}
