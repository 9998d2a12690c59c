import API
import Domain
import Foundation
import Postgres
import Repositories
import TestSupport

/// An incident played step by step with known timestamps, through the incident repository
/// (each step its own transaction with its own `now`, as a request would be): the API cannot
/// back-date acknowledgements or status changes.
struct IncidentScript {
    var title = "Checkout errors"
    var severity = "SEV1"
    var impact: String? = "30 % of checkouts failed"
    var summary: String? = nil
    var started: Date
    var detected: Date
    var acknowledged: Date? = nil
    var identified: Date? = nil
    var monitoring: Date? = nil
    var resolved: Date? = nil

    /// Plays the script and returns the incident's id.
    func run(on pool: PostgresPool) throws -> Int64 {
        let policy = SLAPolicy.standard
        let new = try NewIncident.validate(
            title: title, severity: severity, summary: summary, impact: impact, commander: "alice",
            services: [],
            alertIDs: [], startedAt: started, detectedAt: detected, now: detected)
        let id = try pool.withTransaction {
            try IncidentRepository($0).create(new, actor: "alice", policy: policy, now: detected).id
        }
        if let acknowledged {
            _ = try pool.withTransaction {
                try IncidentRepository($0).acknowledge(id: id, actor: "alice", note: nil, now: acknowledged)
            }
        }
        for (status, at) in [("identified", identified), ("monitoring", monitoring)] {
            guard let at else { continue }
            let change = try StatusChange.validate(status: status, message: nil)
            _ = try pool.withTransaction {
                try IncidentRepository($0).changeStatus(id: id, to: change, actor: "alice", now: at)
            }
        }
        if let resolved {
            _ = try pool.withTransaction {
                try IncidentRepository($0).resolve(
                    id: id, actor: "alice", resolution: "Rolled back", now: resolved)
            }
        }
        return id
    }
}

/// Fixed instants for the post-mortem tests.
enum PostMortemTimes {
    /// `2024-12-02T10:00:00Z` plus `minutes`.
    static func december2(minutes: Double) -> Date {
        Date(timeIntervalSince1970: 1_733_133_600 + minutes * 60)
    }

    /// A timestamp as the API writes it (microseconds, UTC).
    static func text(_ date: Date) -> String { RFC3339.format(date) }
}

extension TestApp {
    /// The incident's timeline kinds, in order.
    func timelineKinds(incident id: Int64) throws -> [String] {
        let entries = try pool.withConnection {
            try IncidentRepository($0).timeline(id: id, limit: 500, cursor: nil).items
        }
        return entries.map(\.kind.rawValue)
    }
}
