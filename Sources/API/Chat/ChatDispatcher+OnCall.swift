import Domain
import Foundation
import Repositories

/// Who is on call in one schedule or in each, for a chat line.
struct ChatOnCall: Sendable, Hashable {
    let scheduleID: Int64
    let scheduleName: String
    let zone: ScheduleZone
    let user: ChatPerson?
    /// When this final shift ends (nil: no change within a year).
    let until: Date?
    /// Who takes over at `until` (nil: nobody).
    let next: ChatPerson?
}

/// `{id, name}` of a person in a chat answer.
struct ChatPerson: Sendable, Hashable {
    let id: Int64
    let name: String
}

/// `oncall [schedule]`: the same computation as `GET /api/v1/schedules/{id}/oncall`.
extension ChatDispatcher {
    /// Most schedules `oncall` without a name lists.
    static let maxListedSchedules = 20

    func onCall(schedule name: String?) throws -> ChatReply {
        let repository = ScheduleRepository(connection)
        var schedules: [ScheduleRecord]
        var more = false
        if let name {
            guard let found = try findSchedule(name, repository: repository) else {
                throw DomainError.notFound(.schedule, name)
            }
            schedules = [found]
        } else {
            let page = try repository.list(limit: Self.maxListedSchedules, cursor: nil)
            schedules = page.items
            more = page.nextCursor != nil
        }
        guard !schedules.isEmpty else {
            return ChatReply(text: "No schedules yet: an admin creates them with POST /api/v1/schedules.")
        }
        let entries = try schedules.map(onCall(in:))
        var lines = entries.map(Self.line)
        if more { lines.append("… and more schedules; name one: oncall <schedule>") }
        return ChatReply(text: .lines(lines), subject: .onCall(entries))
    }

    /// The schedule by id, exact name, or name in any case.
    private func findSchedule(_ name: String, repository: ScheduleRepository) throws -> ScheduleRecord? {
        if let id = Int64(name), let found = try repository.find(id: id) { return found }
        if let found = try repository.find(name: name) { return found }
        var cursor: String?
        repeat {
            let page = try repository.list(limit: PageRequest.maxLimit, cursor: cursor)
            if let found = page.items.first(where: { $0.name.lowercased() == name.lowercased() }) {
                return found
            }
            cursor = page.nextCursor
        } while cursor != nil
        return nil
    }

    private func onCall(in record: ScheduleRecord) throws -> ChatOnCall {
        let overrides = try ScheduleRepository(connection).overrideRules(
            scheduleID: record.id, endingAfter: now.addingTimeInterval(-OnCallSchedule.searchHorizon),
            startingBefore: now.addingTimeInterval(OnCallSchedule.searchHorizon))
        let answer = OnCallSchedule(zone: record.zone, layers: record.layers, overrides: overrides)
            .answer(at: now)
        let names = try UserRepository(connection).names(
            [answer.point?.userID, answer.nextUserID].compactMap { $0 })
        func person(_ id: Int64?) -> ChatPerson? {
            id.map { ChatPerson(id: $0, name: names[$0] ?? "user \($0)") }
        }
        return ChatOnCall(
            scheduleID: record.id, scheduleName: record.name, zone: record.zone,
            user: person(answer.point?.userID),
            until: answer.end, next: person(answer.nextUserID))
    }

    /// `primary: Ben is on call until 2026-02-09 15:00 UTC (Mon 09:00 America/Chicago), then Cai.`
    static func line(_ entry: ChatOnCall) -> ChatText {
        var text: ChatText = "\(strong: entry.scheduleName): "
        guard let until = entry.until else {
            text.append(
                entry.user.map { "\($0.name) is on call, with no hand-off within a year." }
                    ?? "nobody is on call.")
            return text
        }
        let local = entry.zone.local(at: until)
        let wall =
            "\(local.weekday.name.capitalized) \(local.description.dropFirst(11).prefix(5)) \(entry.zone.identifier)"
        if let user = entry.user {
            text.append(
                "\(user.name) is on call until \(time: until) (\(wall)), then \(entry.next?.name ?? "nobody")."
            )
        } else {
            text.append(
                "nobody is on call; \(entry.next?.name ?? "nobody") takes over at \(time: until) (\(wall)).")
        }
        return text
    }
}
