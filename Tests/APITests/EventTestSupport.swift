import Foundation
import TestSupport
import Testing

/// Helpers for event-log tests: reading `GET /api/v1/events` the way a consumer does.
extension TestApp {
    /// Every event readable now after `after` (all pages), parsed.
    func events(after: Int? = nil, query: String = "") throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor = after
        while true {
            var path = "/api/v1/events?limit=500"
            if let cursor, cursor > 0 { path += "&after=\(cursor)" }
            if !query.isEmpty { path += "&" + query }
            let response = try admin("GET", path)
            try #require(response.status == 200, "GET /events: \(response.bodyText)")
            let page = response.json["items"] as? [[String: Any]] ?? []
            items += page
            guard response.json["next_cursor"] is String, let last = page.last?["id"] as? Int else {
                return items
            }
            cursor = last
        }
    }

    /// The events after `after` once at least `count` are readable (an event is readable once
    /// every older transaction of the test cluster has ended: other tests run beside this one).
    func awaitEvents(_ count: Int, after: Int? = nil, query: String = "") throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(20)
        var found = try events(after: after, query: query)
        while found.count < count, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            found = try events(after: after, query: query)
        }
        return found
    }

    /// The id of the newest readable event (0 when none), to read only what a step appends.
    func lastEventID() throws -> Int {
        try events().last?["id"] as? Int ?? 0
    }

    /// The types the next step appends: runs `step`, then returns the types of the `count`
    /// events that follow the last one readable before it.
    func eventTypes(expecting count: Int, _ step: () throws -> Void) throws -> [String] {
        let before = try lastEventID()
        try step()
        return try awaitEvents(count, after: before).compactMap { $0["type"] as? String }
    }
}
