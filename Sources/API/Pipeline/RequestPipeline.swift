import HTTPServer

/// The order in which every request is handled, read top down (docs/ARCHITECTURE.md, "One
/// request's life"). The route table (`Routes.swift`) says what each route is; this says what
/// happens to every request, once, in one place. A capability that touches every request adds
/// a stage here.
///
/// 1. On the event loop, the request is matched once against the route table (404, 405 and
///    OPTIONS are answered there); the match travels with it from then on.
/// 2. The loop stages run in order; each answers from memory or passes on. They never block.
/// 3. Whatever they did not answer goes to a worker, through the worker stages in order, each
///    wrapping the ones after it, down to the route's handler.
/// 4. The server's middleware (ETag/304, gzip, CORS) finishes every answer, wherever it came
///    from (``APIResponder/middleware(_:)``).
enum RequestPipeline {
    static let loopStages: [any LoopStage] = [
        OpenRouteStage(),  // /healthz: answered inline
        ReadOnlyStage(),  // read-only mode: writes get 503 + Retry-After (SPEC §12)
        CachedCredentialStage(),  // the bearer token, and who the credential cache says it is
        FailureBudgetStage(),  // 429 for an address over its failed-auth budget that sent no key
        CachedAnswerStage(),  // a cached answer: an open route, or a known and allowed caller
    ]

    static let workerStages: [any WorkerStage] = [
        ErrorRenderingStage(),  // anything thrown below becomes problem+json
        StreamAdmissionStage(),  // 503 past the process's cap of open streams (SPEC §8)
        DeadlineStage(),  // the request's deadline bounds every database wait below (503 when passed)
        OpenHandlerStage(),  // readiness, health, metrics: no credentials, no transaction
        RefusalAuditStage(),  // 401/403 audited (own connection), failures counted; 429 over budget
        CredentialsPresentStage(),  // 401 for a missing or malformed key, before any connection
        CacheInvalidationStage(),  // a write drops the caches before its answer goes out
        IdempotencyRaceStage(),  // the loser of an Idempotency-Key race replays the winner
        GroupCommitStage(),  // alert ingest shares one transaction with its neighbours
        ConnectionStage(),  // one pooled connection for the rest; retried writes get a fresh one
        AuthenticationStage(),  // who is calling (cache or database), and the gate
        ReadCacheStage(),  // a read's answer from, or into, the response cache
        TransactionStage(),  // a write in one transaction, answered after COMMIT
        IdempotencyStage(),  // Idempotency-Key: replay, or store the answer with the change
        AuditAtCommitStage(),  // the write's audit row, sent with COMMIT
    ]
    // Then HandlerStage: the route's handler with its RequestContext.
}
