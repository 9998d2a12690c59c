import HTTPServer

/// A read route's answer from the response cache (ADR 0003), or rendered and kept there when
/// its handler allowed it (``RequestContext/allowCaching(until:)``), stamped with the
/// generations of the families its route reads (ADR 0006).
struct ReadCacheStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard !call.route.isMutating else { return try next(call) }
        let cache = call.environment.responses
        let key = ResponseCacheKey.of(call.request)
        if let cached = cache.hit(for: key, now: call.environment.clock()) { return cached.response }
        // Read before the handler: a write committed after this invalidates what it renders.
        let stamp = cache.stamp(reading: call.route.reads)
        var response = try next(call)
        guard let context = call.context, context.isCacheable, response.status == 200 else { return response }
        // Tagged once here, so neither a cached 200 nor a 304 hashes the body again.
        response.setContentHashTag()
        // Served later from the event loop, where this is otherwise set on the way out.
        response.routePattern = call.request.routePattern
        cache.store(
            response, access: call.route.access, for: key, stamp: stamp, renderedAt: context.now,
            limit: context.cacheLimit)
        return response
    }
}
