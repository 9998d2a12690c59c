import Domain
import Foundation
import Repositories

/// Atlassian Statuspage's public API v2 shapes (`/api/v2/summary.json` and friends), so its
/// clients, exporters and widgets read incidentd unchanged (SPEC §13). Ids are strings there.
enum Statuspage {
    static let pageID = "incidentd"

    struct Page: Encodable {
        let id = pageID
        let name = "incidentd"
        let url = "/status"
        let timeZone = "Etc/UTC"
        let updatedAt: Date

        enum CodingKeys: String, CodingKey {
            case id, name, url
            case timeZone = "time_zone"
            case updatedAt = "updated_at"
        }
    }

    struct Status: Encodable {
        let indicator: String
        let description: String
    }

    struct Component: Encodable {
        let id: String
        let name: String
        let status: String
        let createdAt: Date
        let updatedAt: Date
        let position: Int
        let description: String?
        let showcase: Bool
        let startDate: String?
        let groupID: String?
        let pageID = Statuspage.pageID
        let group: Bool
        let onlyShowIfDegraded = false
        /// Member ids, on a group only.
        let components: [String]?

        enum CodingKeys: String, CodingKey {
            case id, name, status, position, description, showcase, group, components
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case startDate = "start_date"
            case groupID = "group_id"
            case pageID = "page_id"
            case onlyShowIfDegraded = "only_show_if_degraded"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(status, forKey: .status)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
            try container.encode(position, forKey: .position)
            try container.encode(description, forKey: .description)
            try container.encode(showcase, forKey: .showcase)
            try container.encode(startDate, forKey: .startDate)
            try container.encode(groupID, forKey: .groupID)
            try container.encode(pageID, forKey: .pageID)
            try container.encode(group, forKey: .group)
            try container.encode(onlyShowIfDegraded, forKey: .onlyShowIfDegraded)
            try container.encodeIfPresent(components, forKey: .components)
        }
    }

    struct IncidentUpdate: Encodable {
        let id: String
        let status: String
        let body: String
        let incidentID: String
        let createdAt: Date
        let updatedAt: Date
        let displayAt: Date
        let affectedComponents: [String]? = nil
        let deliverNotifications = true
        let customTweet: String? = nil
        let tweetID: String? = nil

        enum CodingKeys: String, CodingKey {
            case id, status, body
            case incidentID = "incident_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case displayAt = "display_at"
            case affectedComponents = "affected_components"
            case deliverNotifications = "deliver_notifications"
            case customTweet = "custom_tweet"
            case tweetID = "tweet_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(status, forKey: .status)
            try container.encode(body, forKey: .body)
            try container.encode(incidentID, forKey: .incidentID)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
            try container.encode(displayAt, forKey: .displayAt)
            try container.encode(affectedComponents, forKey: .affectedComponents)
            try container.encode(deliverNotifications, forKey: .deliverNotifications)
            try container.encode(customTweet, forKey: .customTweet)
            try container.encode(tweetID, forKey: .tweetID)
        }
    }

    /// An incident, or a scheduled maintenance (which adds `scheduled_for`/`scheduled_until`).
    struct Incident: Encodable {
        let id: String
        let name: String
        let status: String
        let createdAt: Date
        let updatedAt: Date
        let monitoringAt: Date?
        let resolvedAt: Date?
        let impact: String
        let shortlink: String
        let startedAt: Date
        let pageID = Statuspage.pageID
        let incidentUpdates: [IncidentUpdate]
        let components: [Component]
        let scheduledFor: Date?
        let scheduledUntil: Date?

        enum CodingKeys: String, CodingKey {
            case id, name, status, impact, shortlink, components
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case monitoringAt = "monitoring_at"
            case resolvedAt = "resolved_at"
            case startedAt = "started_at"
            case pageID = "page_id"
            case incidentUpdates = "incident_updates"
            case scheduledFor = "scheduled_for"
            case scheduledUntil = "scheduled_until"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(status, forKey: .status)
            try container.encode(createdAt, forKey: .createdAt)
            try container.encode(updatedAt, forKey: .updatedAt)
            try container.encode(monitoringAt, forKey: .monitoringAt)
            try container.encode(resolvedAt, forKey: .resolvedAt)
            try container.encode(impact, forKey: .impact)
            try container.encode(shortlink, forKey: .shortlink)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(pageID, forKey: .pageID)
            try container.encode(incidentUpdates, forKey: .incidentUpdates)
            try container.encode(components, forKey: .components)
            if scheduledFor != nil || scheduledUntil != nil {
                try container.encode(scheduledFor, forKey: .scheduledFor)
                try container.encode(scheduledUntil, forKey: .scheduledUntil)
            }
        }
    }
}
