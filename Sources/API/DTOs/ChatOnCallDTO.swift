import Foundation

/// One schedule's entry in a chat answer's `oncall`: `{schedule, user, until, next}`, nulls
/// written out (`user` null: nobody; `until` null: no hand-off within a year).
struct ChatOnCallDTO: Encodable {
    let entry: ChatOnCall

    init(_ entry: ChatOnCall) { self.entry = entry }

    enum CodingKeys: String, CodingKey { case schedule, user, until, next }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(
            ScheduleRefDTO(id: entry.scheduleID, name: entry.scheduleName), forKey: .schedule)
        try container.encode(entry.user.map { UserRefDTO(id: $0.id, name: $0.name) }, forKey: .user)
        try container.encode(entry.until, forKey: .until)
        try container.encode(entry.next.map { UserRefDTO(id: $0.id, name: $0.name) }, forKey: .next)
    }
}
