import Domain
import Foundation

/// `{id, name}` of a schedule in answers.
struct ScheduleRefDTO: Encodable {
    let id: Int64
    let name: String
}

/// `GET /schedules/{id}/oncall` (SPEC §10): `{user, start, end, source, layer, next}`, plus
/// the schedule, the instant asked about and, for an override, its id. Nulls are written out:
/// `user: null` means nobody is on call; `start`/`end` null mean no change within a year.
struct OnCallDTO: Encodable {
    let schedule: ScheduleRefDTO
    let at: Date
    let user: UserRefDTO?
    let start: Date?
    let end: Date?
    let source: String?
    let layer: String?
    let overrideID: Int64?
    let next: NextOnCallDTO?

    enum CodingKeys: String, CodingKey {
        case schedule, at, user, start, end, source, layer, next
        case overrideID = "override_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(at, forKey: .at)
        try container.encode(user, forKey: .user)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(source, forKey: .source)
        try container.encode(layer, forKey: .layer)
        try container.encode(overrideID, forKey: .overrideID)
        try container.encode(next, forKey: .next)
    }
}

/// Who takes over at `at` (`user` null: nobody).
struct NextOnCallDTO: Encodable {
    let user: UserRefDTO?
    let at: Date

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user, forKey: .user)
        try container.encode(at, forKey: .at)
    }

    enum CodingKeys: String, CodingKey { case user, at }
}

/// One final shift.
struct ShiftDTO: Encodable {
    let user: UserRefDTO
    let start: Date
    let end: Date
}

/// `GET /schedules/{id}/shifts`: the list shape of SPEC §4 (one page: the range bounds it).
struct ShiftsDTO: Encodable {
    let schedule: ScheduleRefDTO
    let from: Date
    let to: Date
    let items: [ShiftDTO]

    enum CodingKeys: String, CodingKey { case schedule, from, to, items, nextCursor = "next_cursor" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schedule, forKey: .schedule)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
        try container.encode(items, forKey: .items)
        try container.encodeNil(forKey: .nextCursor)
    }
}
