import Domain
import Foundation
import Repositories

/// A schedule as the API shows it: its rules, with participants named.
struct ScheduleDTO: Encodable {
    let id: Int64
    let name: String
    let timeZone: String
    let layers: [LayerDTO]
    let createdAt: Date
    let updatedAt: Date

    init(_ record: ScheduleRecord, names: [Int64: String]) {
        id = record.id
        name = record.name
        timeZone = record.zone.identifier
        layers = record.layers.map { LayerDTO($0, names: names) }
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, layers
        case timeZone = "time_zone"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One layer; `start` is wall-clock time in the schedule's zone.
struct LayerDTO: Encodable {
    let id: Int64?
    let name: String
    let rotation: String
    let length: Int
    let start: String
    let participants: [UserRefDTO]
    let restriction: RestrictionDTO?

    init(_ layer: ScheduleLayer, names: [Int64: String]) {
        id = layer.id
        name = layer.name
        rotation = layer.rotation.rawValue
        length = layer.length
        start = layer.start.description
        participants = layer.participants.map { UserRefDTO(id: $0, name: names[$0]) }
        restriction = layer.restriction.map(RestrictionDTO.init)
    }

    enum CodingKeys: String, CodingKey { case id, name, rotation, length, start, participants, restriction }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(rotation, forKey: .rotation)
        try container.encode(length, forKey: .length)
        try container.encode(start, forKey: .start)
        try container.encode(participants, forKey: .participants)
        try container.encode(restriction, forKey: .restriction)
    }
}

/// `{days, from, to}`, days Monday first.
struct RestrictionDTO: Encodable {
    let days: [String]
    let from: String
    let to: String

    init(_ restriction: LayerRestriction) {
        days = restriction.days.sorted().map(\.name)
        from = Self.clock(restriction.fromMinute)
        to = Self.clock(restriction.toMinute)
    }

    static func clock(_ minutes: Int) -> String {
        let hour = minutes / 60
        let minute = minutes % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}

/// An override; `user` named.
struct OverrideDTO: Encodable {
    let id: Int64
    let scheduleID: Int64
    let user: UserRefDTO
    let start: Date
    let end: Date
    let createdBy: String
    let createdAt: Date

    init(_ record: OverrideRecord, names: [Int64: String]) {
        id = record.id
        scheduleID = record.scheduleID
        user = UserRefDTO(id: record.userID, name: names[record.userID])
        start = record.start
        end = record.end
        createdBy = record.createdBy
        createdAt = record.createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, user, start, end
        case scheduleID = "schedule_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }
}
