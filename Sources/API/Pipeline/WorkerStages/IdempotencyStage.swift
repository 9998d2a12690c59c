import Crypto
import HTTPServer
import Repositories

/// `Idempotency-Key` on a POST (ADR 0002): inside the transaction, a stored answer for the
/// caller's key is replayed; otherwise the request runs and its 2xx answer is stored beside
/// its change. Keys are kept per caller; routes whose handler authenticates the sender itself
/// (PagerDuty, Slack) have no caller here, so the header is ignored there (their senders
/// dedupe by dedup_key).
struct IdempotencyStage: WorkerStage {
    /// Thrown inside the transaction when a concurrent request stored the same key first: it
    /// rolls back, and ``IdempotencyRaceStage`` answers with what that request answered.
    struct LostRace: Error {}

    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard let key = try Self.key(call.request), let principal = call.principal, principal != .anonymous
        else {
            return try next(call)
        }
        let repository = IdempotencyRepository(call.heldConnection())
        let actor = Self.actor(principal)
        if let stored = try repository.find(actor: actor, key: key, now: call.now) {
            return try Self.replay(stored, for: call.request)
        }
        let response = try next(call)
        guard (200..<300).contains(response.status) else { return response }
        let stored = StoredResponse(
            requestHash: Self.requestHash(call.request), status: response.status,
            contentType: response.headers["Content-Type"] ?? HTTPResponse.jsonContentType,
            body: response.body, location: response.headers["Location"])
        guard try repository.store(actor: actor, key: key, response: stored, now: call.now) else {
            throw LostRace()
        }
        return response
    }

    /// Whose keys these are.
    static func actor(_ principal: Principal) -> String { "\(principal.auditKind):\(principal.auditID ?? 0)" }

    /// The `Idempotency-Key` of a POST, validated; nil when absent.
    static func key(_ request: HTTPRequest) throws -> String? {
        guard request.method == .post, let key = request.headers["Idempotency-Key"] else { return nil }
        guard !key.isEmpty, key.utf8.count <= IdempotencyRepository.maxKeyLength else {
            throw ProblemDetails(
                status: 400,
                detail: "Idempotency-Key must be 1 to \(IdempotencyRepository.maxKeyLength) characters.",
                errors: [FieldError(field: "Idempotency-Key", message: "must be 1 to 255 characters")])
        }
        return key
    }

    /// SHA-256 of the method, path and body: what a replay must match.
    static func requestHash(_ request: HTTPRequest) -> [UInt8] {
        Crypto.sha256(Array("\(request.method.rawValue) \(request.path)\n".utf8) + request.body)
    }

    /// The stored first answer, or 422 when the key was used for a different request.
    static func replay(_ stored: StoredResponse, for request: HTTPRequest) throws -> HTTPResponse {
        guard Crypto.constantTimeEquals(stored.requestHash, requestHash(request)) else {
            throw ProblemDetails(
                status: 422, title: "Idempotency-Key reused",
                detail: "This Idempotency-Key was already used with a different request body.",
                errors: [FieldError(field: "Idempotency-Key", message: "was used with a different request")])
        }
        var headers = HTTPHeaders()
        headers.set(name: "Content-Type", value: stored.contentType)
        headers.set(name: "Idempotent-Replayed", value: "true")
        if let location = stored.location { headers.set(name: "Location", value: location) }
        return HTTPResponse(status: stored.status, headers: headers, body: stored.body)
    }
}
