import Domain
import Foundation
import Postgres
import Repositories
import TestSupport
import Testing

/// Issue 15: schedules keep their rules exactly (wall-clock starts, restrictions, participant
/// order, anchors), and an edit keeps layer ids and rebases anchors in the same transaction.
@Suite struct ScheduleRepositoryTests {
    @Test func aScheduleReadsBackAsItWasStoredAndAnEditKeepsTheLayer() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        let users = UserRepository(connection)
        let ids = try (1...3).map {
            try users.create(NewUser.validate(name: "P\($0)", email: nil, chatUser: nil, timeZone: nil)).id
        }
        let definition = try ScheduleDefinition.validate(
            name: "primary", timeZone: "Europe/London",
            layers: [
                LayerInput(
                    name: "days", rotation: "daily", length: 2, start: "2026-03-29T01:30:00",
                    participants: ids),
                LayerInput(
                    name: "weekends", rotation: "hourly", length: 12, start: "2026-01-03T08:00:00",
                    participants: [ids[2]],
                    restriction: RestrictionInput(days: ["sat", "sun"], from: "08:00", to: "24:00")),
            ], knownUsers: Set(ids))
        let repository = ScheduleRepository(connection)
        let created = try repository.create(definition)
        let found = try #require(try repository.find(name: "primary"))
        #expect(found.zone.identifier == "Europe/London")
        #expect(found.layers.map(\.start) == definition.layers.map(\.start))
        #expect(found.layers.map(\.participants) == [ids, [ids[2]]])
        #expect(found.layers[1].restriction == definition.layers[1].restriction)
        #expect(found.layers.allSatisfy { $0.anchor == .start && $0.id != nil })

        // 2026-04-02 12:00Z is hand-off 2 of "days" (Mar 29, 31, Apr 2): participant 3.
        let now = Date(timeIntervalSince1970: 1_775_131_200)
        let before = OnCallSchedule(zone: found.zone, layers: found.layers, overrides: [])
        #expect(before.onCall(at: now)?.userID == ids[2])
        // "days" is matched by name; "weekends" by its id.
        let patch = try SchedulePatch.validate(
            name: nil, timeZone: nil,
            layers: [
                LayerInput(
                    name: "days", rotation: "daily", length: 2, start: "2026-03-29T01:30:00",
                    participants: [ids[2], ids[0]]),
                LayerInput(
                    id: found.layers[1].id, name: "weekends", rotation: "hourly", length: 12,
                    start: "2026-01-03T08:00:00",
                    participants: [ids[2]],
                    restriction: RestrictionInput(days: ["sat", "sun"], from: "08:00")),
            ], knownUsers: Set(ids))
        let updated = try #require(try repository.update(id: created.id, patch: patch, now: now))
        #expect(updated.layers.map(\.id) == found.layers.map(\.id))
        #expect(updated.layers[0].anchor == RotationAnchor(handoff: 2, position: 0))
        let after = OnCallSchedule(zone: updated.zone, layers: updated.layers, overrides: [])
        #expect(after.onCall(at: now)?.userID == ids[2])
    }

    /// A person checked by the handler but deleted by a concurrent request before the insert:
    /// a 422 naming the field, never a 500.
    @Test func aParticipantDeletedMeanwhileIsAValidationError() throws {
        let database = try TestDatabase.makeFreshDatabase()
        let connection = try database.connect()
        let gone: Int64 = 424_242
        let definition = try ScheduleDefinition.validate(
            name: "primary", timeZone: "UTC",
            layers: [LayerInput(rotation: "daily", start: "2026-01-01T00:00:00", participants: [gone])],
            knownUsers: [gone])
        let repository = ScheduleRepository(connection)
        #expect(
            throws: ValidationError(
                field: "layers[0].participants", message: "names a user that was just deleted")
        ) {
            try connection.withTransaction { _ in _ = try repository.create(definition) }
        }
        let empty = try repository.create(
            ScheduleDefinition.validate(name: "empty", timeZone: "UTC", layers: [], knownUsers: []))
        let override = try NewOverride.validate(
            user: gone, start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 60),
            knownUsers: [gone])
        #expect(throws: ValidationError(field: "user", message: "names a user that was just deleted")) {
            try connection.withTransaction { _ in
                _ = try repository.addOverride(override, scheduleID: empty.id, actor: "test")
            }
        }
    }
}
