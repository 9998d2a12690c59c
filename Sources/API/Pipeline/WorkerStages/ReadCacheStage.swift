import HTTPServer

/// A read route's answer from the response cache (ADR 0003), or rendered and kept there when
/// its handler allowed it (``RequestContext/allowCaching(until:)``).
struct ReadCacheStage: WorkerStage {
    func handle(_ call: WorkerCall, next: WorkerStageNext) throws -> HTTPResponse {
        guard !call.route.isMutating else { return try next(call) }
        let cache = call.environment.responses
        let key = ResponseCacheKey.of(call.request)
        if let cached = cache.hit(for: key, now: call.environment.clock()) { return cached.response }
        let generation = cache.generationForRender()
        var response = try next(call)
        guard let context = call.context, context.isCacheable, response.status == 200 else { return response }
        // Tagged once here, so neither a cached 200 nor a 304 hashes the body again.
        response.setContentHashTag()
        // Served later from the event loop, where this is otherwise set on the way out.
        response.routePattern = call.request.routePattern
        cache.store(
            response, access: call.route.access, for: key, generation: generation, renderedAt: context.now,
            limit: context.cacheLimit)
        return response
    }
}
