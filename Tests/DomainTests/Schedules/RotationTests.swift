import Domain
import Foundation
import Testing

@Suite struct RotationTests {
    @Test func aWeeklyMondayHandOffStaysAtNineLocalAcrossEveryChangeOf2026And2027() {
        for name in ["America/Chicago", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"] {
            let rules = zone(name)
            let weekly = layer(.weekly, start: "2026-01-05T09:00:00", participants: [1, 2, 3])
            let handoffs = weekly.handoffs(
                from: utc("2025-12-31T00:00:00Z"), to: utc("2028-01-01T00:00:00Z"), in: rules)
            #expect(handoffs.count == 104, "\(name)")
            for instant in handoffs {
                let local = rules.local(at: instant)
                #expect(local.weekday == .monday && local.secondOfDay == 9 * 3600, "\(name) \(local)")
            }
            let minutes = Set(zip(handoffs, handoffs.dropFirst()).map { Int($1.timeIntervalSince($0) / 60) })
            let expected: Set<Int> =
                switch name {
                case "Asia/Kolkata": [168 * 60]
                // Lord Howe moves its clocks by half an hour.
                case "Australia/Lord_Howe": [167 * 60 + 30, 168 * 60, 168 * 60 + 30]
                default: [167 * 60, 168 * 60, 169 * 60]
                }
            #expect(minutes == expected, "\(name): \(minutes.sorted())")
        }
        // Chicago's 167- and 169-hour shifts are the weeks of its two changes.
        let chicago = zone("America/Chicago")
        let weekly = layer(.weekly, start: "2026-01-05T09:00:00", participants: [1, 2, 3])
        let around = weekly.handoffs(
            from: utc("2026-03-02T00:00:00Z"), to: utc("2026-03-10T00:00:00Z"), in: chicago)
        #expect(around == [utc("2026-03-02T15:00:00Z"), utc("2026-03-09T14:00:00Z")])
        let fall = weekly.handoffs(
            from: utc("2026-10-26T00:00:00Z"), to: utc("2026-11-03T00:00:00Z"), in: chicago)
        #expect(fall == [utc("2026-10-26T14:00:00Z"), utc("2026-11-02T15:00:00Z")])
    }

    @Test func participantsTakeTurnsFromTheFirstHandOff() {
        let rules = zone("Europe/London")
        let daily = layer(.daily, length: 2, start: "2026-01-01T08:00:00", participants: [10, 20, 30])
        #expect(daily.rotationUser(at: utc("2026-01-01T07:59:59Z").timeIntervalSince1970, in: rules) == nil)
        #expect(daily.rotationUser(at: utc("2026-01-01T08:00:00Z").timeIntervalSince1970, in: rules) == 10)
        #expect(daily.rotationUser(at: utc("2026-01-03T07:59:59Z").timeIntervalSince1970, in: rules) == 10)
        #expect(daily.rotationUser(at: utc("2026-01-03T08:00:00Z").timeIntervalSince1970, in: rules) == 20)
        #expect(daily.rotationUser(at: utc("2026-01-07T08:00:00Z").timeIntervalSince1970, in: rules) == 10)
        // In summer 08:00 London is 07:00Z.
        #expect(daily.rotationUser(at: utc("2026-07-01T06:59:59Z").timeIntervalSince1970, in: rules) != nil)
        let summer = daily.handoffs(
            from: utc("2026-07-01T00:00:00Z"), to: utc("2026-07-04T00:00:00Z"), in: rules)
        #expect(summer.allSatisfy { rules.local(at: $0).secondOfDay == 8 * 3600 })
    }

    @Test func anHourlyHandOffInTheSpringGapGivesAnEmptyShiftAndTheAutumnRepeatALongOne() {
        let chicago = zone("America/Chicago")
        let hourly = layer(.hourly, start: "2026-03-08T00:00:00", participants: [1, 2, 3])
        let spring = hourly.handoffs(
            from: utc("2026-03-08T06:00:00Z"), to: utc("2026-03-08T09:30:00Z"), in: chicago)
        // 00:00, 01:00 CST; 02:00 does not exist and moves to the transition, where 03:00 CDT is.
        #expect(
            spring == [
                utc("2026-03-08T06:00:00Z"), utc("2026-03-08T07:00:00Z"), utc("2026-03-08T08:00:00Z"),
                utc("2026-03-08T08:00:00Z"), utc("2026-03-08T09:00:00Z"),
            ])
        #expect(hourly.rotationUser(at: utc("2026-03-08T07:59:59Z").timeIntervalSince1970, in: chicago) == 2)
        // User 3's 02:00 shift is empty; 03:00 is user 1's.
        #expect(hourly.rotationUser(at: utc("2026-03-08T08:00:00Z").timeIntervalSince1970, in: chicago) == 1)

        let autumn = layer(.hourly, start: "2026-11-01T00:00:00", participants: [1, 2, 3])
        let repeated = autumn.handoffs(
            from: utc("2026-11-01T05:00:00Z"), to: utc("2026-11-01T09:30:00Z"), in: chicago)
        // 00:00 CDT, 01:00 CDT (first occurrence), 02:00 CST: the 01:00 shift lasts two hours.
        #expect(
            repeated == [
                utc("2026-11-01T05:00:00Z"), utc("2026-11-01T06:00:00Z"), utc("2026-11-01T08:00:00Z"),
                utc("2026-11-01T09:00:00Z"),
            ])
    }

    @Test func aRestrictionMasksCoverageButTheRotationKeepsItsCalendar() {
        let rules = zone("UTC")
        let weekdays = LayerRestriction(
            days: [.monday, .tuesday, .wednesday, .thursday, .friday], fromMinute: 9 * 60, toMinute: 17 * 60)
        let daily = layer(.daily, start: "2026-01-05T00:00:00", participants: [1, 2], restriction: weekdays)
        let schedule = OnCallSchedule(zone: rules, layers: [daily], overrides: [])
        #expect(schedule.onCall(at: utc("2026-01-05T08:59:59Z")) == nil)
        #expect(schedule.onCall(at: utc("2026-01-05T09:00:00Z"))?.userID == 1)
        #expect(schedule.onCall(at: utc("2026-01-05T17:00:00Z")) == nil)  // `to` is exclusive
        #expect(schedule.onCall(at: utc("2026-01-06T12:00:00Z"))?.userID == 2)
        #expect(schedule.onCall(at: utc("2026-01-10T12:00:00Z")) == nil)  // Saturday
        // Monday 12th is hand-off 7 whatever the weekend did: user 2.
        #expect(schedule.onCall(at: utc("2026-01-12T12:00:00Z"))?.userID == 2)
    }

    @Test func editingParticipantsKeepsThePersonOnCallNow() {
        let rules = zone("America/Chicago")
        let old = layer(.weekly, start: "2026-01-05T09:00:00", participants: [1, 2, 3, 4])
        let now = utc("2026-02-04T12:00:00Z")  // hand-off 4 (Feb 2): user 1
        #expect(old.rotationUser(at: now.timeIntervalSince1970, in: rules) == 1)

        var reordered = layer(.weekly, start: "2026-01-05T09:00:00", participants: [4, 3, 2, 1, 5])
        reordered.anchor = reordered.rebasedAnchor(editing: old, at: now, oldZone: rules, newZone: rules)
        #expect(reordered.rotationUser(at: now.timeIntervalSince1970, in: rules) == 1)
        // Then the rotation goes on in the new order: 1 → 5 → 4.
        #expect(reordered.rotationUser(at: utc("2026-02-10T12:00:00Z").timeIntervalSince1970, in: rules) == 5)
        #expect(reordered.rotationUser(at: utc("2026-02-17T12:00:00Z").timeIntervalSince1970, in: rules) == 4)

        // Removing the person on call: the next of the old order still present takes over now.
        var removed = layer(.weekly, start: "2026-01-05T09:00:00", participants: [3, 2])
        removed.anchor = removed.rebasedAnchor(editing: old, at: now, oldZone: rules, newZone: rules)
        #expect(removed.rotationUser(at: now.timeIntervalSince1970, in: rules) == 2)

        // A new calendar starts over with the first participant.
        var moved = layer(.weekly, start: "2026-01-06T09:00:00", participants: [1, 2, 3, 4])
        moved.anchor = moved.rebasedAnchor(editing: old, at: now, oldZone: rules, newZone: rules)
        #expect(moved.anchor == .start)
    }
}
