import Domain
import Foundation
import Testing

@Suite struct ScheduleValidationTests {
    /// The fields `body`'s validation error names; `["no error"]` when it throws none.
    func fields(_ body: () throws -> Void) -> [String] {
        do {
            try body()
            return ["no error"]
        } catch let error as ValidationError {
            return error.fields
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test func badSchedulesNameEveryBadField() {
        let issues = fields {
            _ = try ScheduleDefinition.validate(
                name: " ", timeZone: "Mars/Olympus",
                layers: [
                    LayerInput(
                        rotation: "fortnightly", length: 0, start: "2026-01-05T09:00:00Z",
                        participants: [1, 99]),
                    LayerInput(
                        name: "nights", rotation: "daily", start: "2026-01-05T09:00:00",
                        participants: [1, 1],
                        restriction: RestrictionInput(days: ["mon", "someday"], from: "18:00", to: "09:00")),
                ], knownUsers: [1])
        }
        #expect(
            issues == [
                "name", "time_zone", "layers[0].rotation", "layers[0].length", "layers[0].start",
                "layers[0].participants[1]", "layers[1].participants[1]", "layers[1].restriction.days[1]",
                "layers[1].restriction.to",
            ])
    }

    @Test func aGoodScheduleKeepsItsLayersInOrder() throws {
        let definition = try ScheduleDefinition.validate(
            name: "Platform primary", timeZone: "America/Chicago",
            layers: [
                LayerInput(rotation: "weekly", start: "2026-01-05T09:00:00", participants: [1, 2]),
                LayerInput(
                    name: "Weekend", rotation: "DAILY", length: 2, start: "2026-01-10T00:00",
                    participants: [3],
                    restriction: RestrictionInput(days: ["sat", "Sunday"])),
            ], knownUsers: [1, 2, 3])
        #expect(definition.zone.identifier == "America/Chicago")
        #expect(definition.layers.map(\.name) == ["Layer 1", "Weekend"])
        #expect(definition.layers[1].rotation == .daily && definition.layers[1].length == 2)
        #expect(
            definition.layers[1].restriction
                == LayerRestriction(days: [.saturday, .sunday], fromMinute: 0, toMinute: 1440))
    }

    @Test func overridesNeedAKnownUserAndAnEndAfterTheStart() {
        #expect(
            fields {
                _ = try NewOverride.validate(
                    user: 9, start: utc("2026-01-02T00:00:00Z"), end: utc("2026-01-01T00:00:00Z"),
                    knownUsers: [1])
            } == ["user", "end"])
        #expect(
            fields { _ = try NewOverride.validate(user: nil, start: nil, end: nil, knownUsers: []) } == [
                "user", "start", "end",
            ])
    }

    @Test func usersAndContactMethodsAreChecked() throws {
        #expect(
            fields {
                _ = try NewUser.validate(
                    name: "", email: "not-an-address", chatUser: nil, timeZone: "Nowhere/Town")
            }
                == ["name", "email", "time_zone"])
        let user = try NewUser.validate(
            name: "Ana Lead", email: "ana@example.com", chatUser: "ana", timeZone: nil)
        #expect(user.timeZone == "UTC")
        #expect(fields { _ = try NewContactMethod.validate(kind: "pager", to: nil, url: nil) } == ["kind"])
        #expect(
            fields { _ = try NewContactMethod.validate(kind: "email", to: nil, url: "https://x.example") }
                == ["url", "to"])
        #expect(
            fields {
                _ = try NewContactMethod.validate(
                    kind: "slack", to: nil, url: "http://hooks.slack.com/services/T/B/x")
            } == ["url"])
        #expect(
            fields {
                _ = try NewContactMethod.validate(
                    kind: "webhook", to: nil, url: "https://user:pw@example.com/hook")
            } == ["url"])
        #expect(
            try NewContactMethod.validate(kind: "webhook", to: nil, url: "http://127.0.0.1:9000/hook").address
                == "http://127.0.0.1:9000/hook")
        #expect(
            try NewContactMethod.validate(kind: "EMAIL", to: " oncall@example.com ", url: nil).address
                == "oncall@example.com")
    }

    @Test(arguments: ["a@b.co", "first.last+tag@mail.example.org"]) func goodAddresses(text: String) {
        #expect(EmailAddress.isValid(text))
    }

    @Test(arguments: ["", "a", "a@b", "@b.co", "a@@b.co", "a b@c.co", "a@-b.co", ".a@b.co", "a@b..co"])
    func badAddresses(text: String) {
        #expect(!EmailAddress.isValid(text))
    }
}
