import Crypto
import Foundation
import HTTPServer
import Postgres
import Repositories

/// Runs one mutating request in one transaction with its audit row and its idempotency
/// record (ADR 0002), answering only after COMMIT returned OK.
struct TransactionRunner {
    let request: HTTPRequest
    let environment: APIEnvironment

    /// Thrown inside the transaction when a concurrent request stored the same
    /// Idempotency-Key first: roll back and answer with what that request answered.
    private struct LostIdempotencyRace: Error {}

    /// Runs the handler in a transaction on a pooled connection, re-running it after a
    /// serialization failure, deadlock or connection lost before COMMIT (`PostgresPool`).
    func run(principal: Principal, _ handler: @Sendable (RequestContext) throws -> HTTPResponse) throws
        -> HTTPResponse
    {
        let idempotencyKey = try self.idempotencyKey()
        return try settle(principal: principal) {
            try environment.pool.withTransaction { connection in
                try body(connection, principal: principal, idempotencyKey: idempotencyKey, handler)
            }
        }
    }

    /// One attempt on `connection`, which the caller already holds (the one the key was looked
    /// up on). Errors come out unsettled: the caller hands them to ``settle(principal:_:)``
    /// once the connection is back in the pool, or retries with ``run(principal:_:)`` when
    /// ``isWorthRetrying(_:)`` says so.
    func runOnce(
        principal: Principal, _ handler: @Sendable (RequestContext) throws -> HTTPResponse,
        on connection: PostgresConnection
    ) throws -> HTTPResponse {
        let idempotencyKey = try self.idempotencyKey()
        return try connection.withTransaction { connection in
            try body(connection, principal: principal, idempotencyKey: idempotencyKey, handler)
        }
    }

    /// Whether a failed attempt rolled back and is worth running again, as
    /// `PostgresPool.withTransaction` decides it.
    static func isWorthRetrying(_ error: PostgresError) -> Bool {
        if error.isRetryableTransactionFailure { return true }
        // A connection that broke before COMMIT took its transaction with it.
        return error.kind == .connectionLost
            && (error.transactionStep == .begin || error.transactionStep == .body)
    }

    /// The transaction's body: replay a stored Idempotency-Key answer, or run the handler and
    /// record its idempotency record and audit row beside its change (ADR 0002).
    private func body(
        _ connection: PostgresConnection, principal: Principal, idempotencyKey givenKey: String?,
        _ handler: @Sendable (RequestContext) throws -> HTTPResponse
    ) throws -> HTTPResponse {
        // Keys are kept per caller. Routes whose handler authenticates the sender itself
        // (PagerDuty, Slack) have no caller yet here: one shared store would let two senders'
        // keys collide, so the header is ignored there (their senders dedupe by dedup_key).
        let idempotencyKey = principal == .anonymous ? nil : givenKey
        let context = RequestContext(
            request: request, principal: principal, connection: connection, environment: environment)
        let actor = "\(principal.auditKind):\(principal.auditID ?? 0)"
        if let idempotencyKey,
            let stored = try IdempotencyRepository(connection).find(
                actor: actor, key: idempotencyKey, now: context.now)
        {
            return try replay(stored, requestHash: requestHash())
        }
        let response = try handler(context)
        guard (200..<300).contains(response.status) else { return response }
        if let idempotencyKey {
            let stored = StoredResponse(
                requestHash: requestHash(), status: response.status,
                contentType: response.headers["Content-Type"] ?? HTTPResponse.jsonContentType,
                body: response.body, location: response.headers["Location"])
            guard
                try IdempotencyRepository(connection).store(
                    actor: actor, key: idempotencyKey, response: stored, now: context.now)
            else { throw LostIdempotencyRace() }
        }
        // Sent with the COMMIT in one round trip; the answer still waits for COMMIT's OK.
        try AuditRepository(connection).recordAtCommit(
            APIRouter.auditEntry(
                request, principal: context.principal, status: response.status, now: context.now))
        return response
    }

    /// Runs `attempts` and audits a handler's own 401/403 before rethrowing it (a routing key
    /// naming another service): the work rolled back, the refusal is still audited (SPEC §5).
    /// No connection may be held: the audit row borrows one.
    func auditingRefusals<Answer>(principal: Principal, _ attempts: () throws -> Answer) throws -> Answer {
        do {
            return try attempts()
        } catch let problem as ProblemDetails where problem.status == 401 || problem.status == 403 {
            try APIRouter.audit(
                request, principal: principal, status: problem.status, environment: environment)
            throw problem
        }
    }

    /// Settles what the attempts threw, with no connection held (both cases borrow one): a
    /// handler's own 401/403 is audited; a lost Idempotency-Key race answers with the winner's
    /// stored response.
    func settle(principal: Principal, _ attempts: () throws -> HTTPResponse) throws -> HTTPResponse {
        do {
            return try auditingRefusals(principal: principal, attempts)
        } catch is LostIdempotencyRace {
            let idempotencyKey = try self.idempotencyKey()
            return try environment.pool.withConnection { connection in
                let actor = "\(principal.auditKind):\(principal.auditID ?? 0)"
                guard
                    let stored = try IdempotencyRepository(connection).find(
                        actor: actor, key: idempotencyKey ?? "", now: environment.clock())
                else {
                    throw ProblemDetails(
                        status: 409, detail: "A request with this Idempotency-Key is in progress.")
                }
                return try replay(stored, requestHash: requestHash())
            }
        }
    }

    /// SHA-256 of the method, path and body: what an Idempotency-Key replay must match. Only
    /// computed for requests that carry the key.
    private func requestHash() -> [UInt8] {
        Crypto.sha256(Array("\(request.method.rawValue) \(request.path)\n".utf8) + request.body)
    }

    /// The `Idempotency-Key` of a POST, validated; nil when absent.
    private func idempotencyKey() throws -> String? {
        guard request.method == .post, let key = request.headers["Idempotency-Key"] else { return nil }
        guard !key.isEmpty, key.utf8.count <= IdempotencyRepository.maxKeyLength else {
            throw ProblemDetails(
                status: 400,
                detail: "Idempotency-Key must be 1 to \(IdempotencyRepository.maxKeyLength) characters.",
                errors: [FieldError(field: "Idempotency-Key", message: "must be 1 to 255 characters")])
        }
        return key
    }

    /// The stored first answer, or 422 when the key was used for a different request.
    private func replay(_ stored: StoredResponse, requestHash: [UInt8]) throws -> HTTPResponse {
        guard Crypto.constantTimeEquals(stored.requestHash, requestHash) else {
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
