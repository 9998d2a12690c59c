import Domain
import Foundation
import Testing

@Suite struct OnCallScheduleTests {
    let rules = zone("UTC")
    /// Weekly from Monday 2026-01-05 09:00: 1, 2, 3.
    let primary = layer(.weekly, start: "2026-01-05T09:00:00", participants: [1, 2, 3], name: "primary")
    /// Nights on weekdays, 18:00–24:00: 7, 8 daily.
    let nights = layer(
        .daily, start: "2026-01-05T00:00:00", participants: [7, 8],
        restriction: LayerRestriction(
            days: [.monday, .tuesday, .wednesday, .thursday, .friday], fromMinute: 18 * 60, toMinute: 1440),
        name: "nights")

    @Test func theLastLayerThatCoversAnInstantWins() {
        let schedule = OnCallSchedule(zone: rules, layers: [primary, nights], overrides: [])
        #expect(schedule.onCall(at: utc("2026-01-05T12:00:00Z")) == OnCallPoint(userID: 1, source: .layer(0)))
        #expect(schedule.onCall(at: utc("2026-01-05T18:00:00Z")) == OnCallPoint(userID: 7, source: .layer(1)))
        #expect(schedule.onCall(at: utc("2026-01-06T18:30:00Z")) == OnCallPoint(userID: 8, source: .layer(1)))
        #expect(schedule.onCall(at: utc("2026-01-10T20:00:00Z"))?.userID == 1)  // Saturday: primary
        #expect(schedule.onCall(at: utc("2026-01-05T08:59:59Z")) == nil)  // before either starts
    }

    @Test func overridesBeatLayersNewestFirstAndDeletingOneRestoresWhatWasBelow() {
        let older = ScheduleOverride(
            id: 1, userID: 5, start: utc("2026-01-06T00:00:00Z"), end: utc("2026-01-08T00:00:00Z"))
        let newer = ScheduleOverride(
            id: 2, userID: 6, start: utc("2026-01-07T00:00:00Z"), end: utc("2026-01-07T12:00:00Z"))
        let schedule = OnCallSchedule(zone: rules, layers: [primary, nights], overrides: [newer, older])
        #expect(
            schedule.onCall(at: utc("2026-01-06T19:00:00Z")) == OnCallPoint(userID: 5, source: .override(1)))
        #expect(
            schedule.onCall(at: utc("2026-01-07T06:00:00Z")) == OnCallPoint(userID: 6, source: .override(2)))
        #expect(schedule.onCall(at: utc("2026-01-07T12:00:00Z"))?.userID == 5)  // `end` is exclusive
        #expect(schedule.onCall(at: utc("2026-01-08T00:00:00Z"))?.userID == 1)
        let withoutNewer = OnCallSchedule(zone: rules, layers: [primary, nights], overrides: [older])
        #expect(withoutNewer.onCall(at: utc("2026-01-07T06:00:00Z"))?.userID == 5)
        let withoutBoth = OnCallSchedule(zone: rules, layers: [primary, nights], overrides: [])
        #expect(withoutBoth.onCall(at: utc("2026-01-07T06:00:00Z"))?.userID == 1)
    }

    @Test func noLayersOrNoParticipantsMeansNobody() {
        let empty = OnCallSchedule(zone: rules, layers: [], overrides: [])
        #expect(empty.onCall(at: utc("2026-01-07T06:00:00Z")) == nil)
        let answer = empty.answer(at: utc("2026-01-07T06:00:00Z"))
        #expect(answer.point == nil && answer.start == nil && answer.end == nil && answer.nextUserID == nil)
        #expect(empty.shifts(from: utc("2026-01-01T00:00:00Z"), to: utc("2026-02-01T00:00:00Z")).isEmpty)
        let nobody = layer(.daily, start: "2026-01-01T00:00:00", participants: [])
        let hollow = OnCallSchedule(zone: rules, layers: [primary, nobody], overrides: [])
        // A layer without participants covers nothing: the one below shows through.
        #expect(hollow.onCall(at: utc("2026-01-07T06:00:00Z"))?.userID == 1)
        #expect(
            OnCallSchedule(zone: rules, layers: [nobody], overrides: []).onCall(
                at: utc("2026-01-07T06:00:00Z")) == nil)
    }

    @Test func shiftsMergeOneUsersAdjacentShiftsAndAreCutAtTheRange() {
        // User 1 by the layer, then an override of user 1 right after: one shift.
        let extend = ScheduleOverride(
            id: 1, userID: 1, start: utc("2026-01-12T09:00:00Z"), end: utc("2026-01-13T09:00:00Z"))
        let schedule = OnCallSchedule(zone: rules, layers: [primary], overrides: [extend])
        let shifts = schedule.shifts(from: utc("2026-01-06T00:00:00Z"), to: utc("2026-01-20T00:00:00Z"))
        #expect(
            shifts == [
                Shift(userID: 1, start: utc("2026-01-06T00:00:00Z"), end: utc("2026-01-13T09:00:00Z")),
                Shift(userID: 2, start: utc("2026-01-13T09:00:00Z"), end: utc("2026-01-19T09:00:00Z")),
                Shift(userID: 3, start: utc("2026-01-19T09:00:00Z"), end: utc("2026-01-20T00:00:00Z")),
            ])
        let answer = schedule.answer(at: utc("2026-01-08T00:00:00Z"))
        #expect(answer.point?.userID == 1)
        #expect(answer.start == utc("2026-01-05T09:00:00Z") && answer.end == utc("2026-01-13T09:00:00Z"))
        #expect(answer.nextUserID == 2)
        let open = schedule.openShifts(from: utc("2026-01-08T00:00:00Z"), to: utc("2026-01-08T00:00:00Z"))
        #expect(
            open == [
                OpenShift(userID: 1, start: utc("2026-01-05T09:00:00Z"), end: utc("2026-01-13T09:00:00Z"))
            ])
    }

    @Test func nightsLeaveGapsThatShiftsLeaveOut() {
        let schedule = OnCallSchedule(zone: rules, layers: [nights], overrides: [])
        let shifts = schedule.shifts(from: utc("2026-01-09T00:00:00Z"), to: utc("2026-01-13T00:00:00Z"))
        #expect(
            shifts == [
                Shift(userID: 7, start: utc("2026-01-09T18:00:00Z"), end: utc("2026-01-10T00:00:00Z")),
                Shift(userID: 8, start: utc("2026-01-12T18:00:00Z"), end: utc("2026-01-13T00:00:00Z")),
            ])
        let weekend = schedule.answer(at: utc("2026-01-11T12:00:00Z"))
        #expect(weekend.point == nil)
        #expect(weekend.start == utc("2026-01-10T00:00:00Z") && weekend.end == utc("2026-01-12T18:00:00Z"))
        #expect(weekend.nextUserID == 8)
    }

    @Test func oneParticipantForeverHasNoEndWithinTheHorizon() {
        let solo = layer(.weekly, start: "2026-01-05T09:00:00", participants: [4])
        let answer = OnCallSchedule(zone: rules, layers: [solo], overrides: []).answer(
            at: utc("2026-06-01T00:00:00Z"))
        #expect(answer.point?.userID == 4)
        #expect(answer.start == utc("2026-01-05T09:00:00Z"))
        #expect(answer.end == nil && answer.nextUserID == nil)
    }
}
