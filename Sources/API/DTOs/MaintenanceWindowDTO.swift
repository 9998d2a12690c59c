import Domain
import Foundation
import Repositories

/// A maintenance window as the API shows it (SPEC §12, §14): `ref` `MW-<id>`, its rules, and where
/// it stands at the time of the answer. `next_starts_at`/`next_ends_at` bound the period in force
/// or next (occurrences that overlap are one period); null once the window is over.
struct MaintenanceWindowDTO: Encodable {
    let record: MaintenanceWindowRecord
    let now: Date

    init(_ record: MaintenanceWindowRecord, now: Date) {
        self.record = record
        self.now = now
    }

    enum CodingKeys: String, CodingKey {
        case id, ref, description, services, state, rrule
        case allServices = "all_services"
        case isPublic = "public"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case timeZone = "time_zone"
        case durationSeconds = "duration_seconds"
        case nextStartsAt = "next_starts_at"
        case nextEndsAt = "next_ends_at"
        case cancelledAt = "cancelled_at"
        case cancelledBy = "cancelled_by"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let recurrence = record.timing.recurrence
        let period = record.period(at: now)
        try container.encode(record.id, forKey: .id)
        try container.encode(record.ref.description, forKey: .ref)
        try container.encode(record.description, forKey: .description)
        try container.encode(record.services.map(\.name), forKey: .services)
        try container.encode(record.allServices, forKey: .allServices)
        try container.encode(record.isPublic, forKey: .isPublic)
        try container.encode(record.state(at: now).rawValue, forKey: .state)
        try container.encode(record.startsAt, forKey: .startsAt)
        if case .once(let once) = record.timing {
            try container.encode(once.end, forKey: .endsAt)
        } else {
            try container.encodeNil(forKey: .endsAt)
        }
        try container.encode(recurrence?.rule.description, forKey: .rrule)
        try container.encode(recurrence?.zone.identifier, forKey: .timeZone)
        try container.encode(recurrence?.durationSeconds, forKey: .durationSeconds)
        try container.encode(period?.start, forKey: .nextStartsAt)
        try container.encode(period?.end, forKey: .nextEndsAt)
        try container.encode(record.cancelledAt, forKey: .cancelledAt)
        try container.encode(record.cancelledBy, forKey: .cancelledBy)
        try container.encode(record.createdAt, forKey: .createdAt)
        try container.encode(record.createdBy, forKey: .createdBy)
        try container.encode(record.updatedAt, forKey: .updatedAt)
    }
}

/// `POST /api/v1/maintenance-windows` as sent; Domain's `NewMaintenanceWindow` validates it.
struct MaintenanceWindowBody: Decodable {
    let description: String?
    /// Names or ids (SPEC §14); empty or absent: every service.
    let services: [ChannelBody.ServiceReference]?
    let isPublic: Bool?
    let startsAt: Date?
    let endsAt: Date?
    let rrule: String?
    let timeZone: String?
    let durationSeconds: Int64?

    enum CodingKeys: String, CodingKey {
        case description, services, rrule
        case isPublic = "public"
        case startsAt = "starts_at"
        case endsAt = "ends_at"
        case timeZone = "time_zone"
        case durationSeconds = "duration_seconds"
    }
}
