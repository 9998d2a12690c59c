import Foundation
import HTTPServer
import Testing

@testable import API

/// ADR 0006: the response cache is dropped per resource family, as `Routes.swift` declares and
/// handlers report. This plays one write of every mutating route of `Routes.all()` (some
/// several times, one per path through its handler) against every read of the table, every
/// read cached (not only today's two: a read cached tomorrow relies on its `reads:` being right
/// today), and after each 2xx compares every read served by the caching process with the same
/// read rendered by a process without a cache on the same database. A read whose answer the
/// write changed must never be served stale; a read of families the write did not touch must
/// still be answered from the cache.
@Suite struct ResponseCacheFreshnessTests {
    /// Writes' routes and reads' routes, as the table has them.
    private static let routes = Routes.all()

    /// Every route that answers from the database, with its handler made to allow caching its
    /// 200 answers. The API key list is left as it is: it shows `last_used_at`, which any
    /// authenticated request may move, so it must never be cached (and is not).
    private static func cachingEveryRead(_ routes: [APIRoute]) -> [APIRoute] {
        routes.map { route in
            guard !route.isMutating, route.pattern != "/api/v1/api-keys",
                case .database(let handler) = route.handler
            else { return route }
            return APIRoute(
                route.method, route.pattern, route.access, execution: route.execution, reads: route.reads,
                changes: route.changes, changesCredentials: route.changesCredentials,
                groupCommit: route.groupCommit,
                .database { context in
                    context.allowCaching(until: nil)
                    return try handler(context)
                })
        }
    }

    /// The route pattern `method target` matches.
    private static func pattern(_ method: HTTPMethod, _ target: String) -> String? {
        var table = RouteTable<APIRoute>()
        for route in routes { table.add(route.method, route.pattern, route) }
        guard case .matched(let route, _) = table.lookup(InProcessAPI.request(method, target)) else {
            return nil
        }
        return route.pattern
    }

    @Test func everyWriteLeavesNoStaleReadAndUnaffectedReadsCached() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let secret = "freshness-signing-secret"
        let cached = try InProcessApp(
            clock: { now }, routes: Self.cachingEveryRead(Self.routes),
            configure: { $0.slackSigningSecret = secret })
        defer { cached.stop() }
        // The same database seen by a process without a response cache: the truth.
        let truth = InProcessAPI(
            environment: InProcessAPI.environment(
                pool: cached.pool, timeToLive: 0, clock: { now },
                configure: { $0.slackSigningSecret = secret }))
        let world = try FreshnessWorld(cached, now: now, slackSecret: secret)

        let reads = world.reads
        #expect(
            Set(reads.compactMap { Self.pattern(.get, $0) })
                == Set(Self.routes.filter { !$0.isMutating && Self.isDatabase($0) }.map(\.pattern)),
            "every database read of Routes.all() is checked")
        let writes = world.writes
        #expect(
            Set(writes.compactMap { Self.pattern($0.method, $0.target) })
                == Set(Self.routes.filter(\.isMutating).map(\.pattern)),
            "every write of Routes.all() is played")

        let isOpen = { (target: String) in
            Self.routes.first { !$0.isMutating && $0.pattern == Self.pattern(.get, target) }?.access == .open
        }
        func anonymous(_ target: String, _ headers: [(String, String)] = []) -> InProcessAPI.Answer {
            cached.api.send(InProcessAPI.request(.get, target, headers: headers))
        }
        for write in writes {
            for target in reads { _ = cached.admin(.get, target) }
            let warm = Set(reads.filter { cached.admin(.get, $0).wasImmediate })
            // What a public page's reader holds before the write: the body and its ETag.
            var held: [String: InProcessAPI.Answer] = [:]
            for target in reads where isOpen(target) { held[target] = anonymous(target) }
            let route = try #require(
                Self.routes.first { $0.pattern == Self.pattern(write.method, write.target) })
            let answer = cached.api.send(write.request(adminKey: cached.adminKey))
            try #require(
                (200..<300).contains(answer.status), "\(write.label): \(answer.status) \(answer.bodyText)")
            let touched = route.changes.union(write.mayAlsoChange).union(.audit)
            for target in reads {
                // Asked of the response cache itself: a write that changes credentials drops
                // the credential cache, so the next poll is answered on a worker, from the cache.
                let stillCached = cached.environment.responses.hit(for: target, now: now) != nil
                let served = cached.admin(.get, target)
                let fresh = truth.send(.get, target, key: cached.adminKey)
                #expect(
                    served.status == fresh.status && served.response.body == fresh.response.body,
                    "after \(write.label), \(target) was stale: \(served.bodyText) instead of \(fresh.bodyText)"
                )
                let readRoute = Self.routes.first {
                    !$0.isMutating && $0.pattern == Self.pattern(.get, target)
                }
                if let readRoute, warm.contains(target), readRoute.reads.isDisjoint(with: touched) {
                    #expect(stillCached, "after \(write.label), \(target) should have stayed cached")
                }
                // A public page's reader revalidating with the tag it holds gets 304 exactly
                // when the answer is unchanged: never a stale 304.
                if let before = held[target], let tag = before.header("ETag") {
                    let revalidated = anonymous(target, [("If-None-Match", tag)])
                    let unchanged = before.response.body == fresh.response.body
                    #expect(
                        revalidated.status == (unchanged ? 304 : 200),
                        "after \(write.label), \(target) revalidated as \(revalidated.status)")
                    if !unchanged { #expect(revalidated.response.body == fresh.response.body) }
                }
            }
        }
        // The checks above are not vacuous: the warm reads were answered from the cache on the
        // event loop, for callers with a key and, on open routes (the public status page), for
        // callers without one.
        let keyed = reads.filter { !isOpen($0) }
        #expect(keyed.filter { cached.admin(.get, $0).wasImmediate }.count >= keyed.count - 1)
        let open = reads.filter(isOpen)
        #expect(!open.isEmpty)
        #expect(open.allSatisfy { anonymous($0).wasImmediate })
        #expect(open.allSatisfy { cached.admin(.get, $0).wasImmediate })
    }

    private static func isDatabase(_ route: APIRoute) -> Bool {
        if case .database = route.handler { return true }
        return false
    }
}
