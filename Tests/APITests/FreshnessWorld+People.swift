import Foundation
import HTTPServer

@testable import API

/// People and schedules (issue 15) in ``FreshnessWorld``: two people on a schedule with an
/// override and a contact method, and a person and a schedule made to be deleted.
extension FreshnessWorld {
    /// What the people part of the world is made of.
    struct People {
        let onCall: Int
        let other: Int
        let leaving: Int
        let schedule: Int
        let retiring: Int
        let override: Int
        let contactMethod: Int
    }

    static func makePeople(_ app: InProcessApp, now: Date) throws -> People {
        func created(_ target: String, _ json: String, _ step: String) throws -> Int {
            try app.created(app.admin(.post, target, json: json), step)
        }
        let onCall = try created("/api/v1/users", #"{"name":"Ana","chat_user":"ana"}"#, "user")
        let other = try created("/api/v1/users", #"{"name":"Ben"}"#, "user")
        let leaving = try created("/api/v1/users", #"{"name":"Cy"}"#, "user")
        let layers =
            #"[{"name":"weekly","rotation":"weekly","start":"2026-01-05T09:00:00","participants":[\#(onCall),\#(other)]}]"#
        let schedule = try created(
            "/api/v1/schedules", #"{"name":"primary","time_zone":"America/Chicago","layers":\#(layers)}"#,
            "schedule")
        let retiring = try created("/api/v1/schedules", #"{"name":"old","time_zone":"UTC"}"#, "schedule")
        let override = try created(
            "/api/v1/schedules/\(schedule)/overrides",
            #"{"user":\#(other),"start":"\#(RFC3339.format(now))","end":"\#(RFC3339.format(now.addingTimeInterval(3600)))"}"#,
            "override")
        let contactMethod = try created(
            "/api/v1/users/\(onCall)/contact-methods", #"{"kind":"email","to":"ana@example.com"}"#,
            "contact method")
        return People(
            onCall: onCall, other: other, leaving: leaving, schedule: schedule, retiring: retiring,
            override: override,
            contactMethod: contactMethod)
    }

    static func peopleReads(_ people: People, now: Date) -> [String] {
        let schedule = "/api/v1/schedules/\(people.schedule)"
        return [
            "/api/v1/users", "/api/v1/users/\(people.onCall)",
            "/api/v1/users/\(people.onCall)/contact-methods",
            "/api/v1/schedules", schedule, "\(schedule)/overrides", "\(schedule)/oncall",
            "\(schedule)/oncall?at=\(RFC3339.format(now.addingTimeInterval(7200)))", "\(schedule)/shifts",
            "\(schedule)/calendar.ics", "/oncalls",
        ]
    }

    static func peopleWrites(_ people: People, now: Date) -> [FreshnessWrite] {
        let schedule = "/api/v1/schedules/\(people.schedule)"
        let reordered =
            #"{"layers":[{"name":"weekly","rotation":"weekly","start":"2026-01-05T09:00:00","participants":[\#(people.other),\#(people.onCall)]}]}"#
        let cover =
            #"{"user":\#(people.onCall),"start":"\#(RFC3339.format(now.addingTimeInterval(-600)))","end":"\#(RFC3339.format(now.addingTimeInterval(7200)))"}"#
        return [
            FreshnessWrite(
                label: "user created", method: .post, target: "/api/v1/users", json: #"{"name":"Dee"}"#),
            FreshnessWrite(
                label: "user edited", method: .patch, target: "/api/v1/users/\(people.onCall)",
                json: #"{"name":"Ana Lead"}"#),
            FreshnessWrite(
                label: "contact method added", method: .post,
                target: "/api/v1/users/\(people.onCall)/contact-methods",
                json: #"{"kind":"webhook","url":"https://hooks.example.com/ana"}"#),
            FreshnessWrite(
                label: "contact method removed", method: .delete,
                target: "/api/v1/users/\(people.onCall)/contact-methods/\(people.contactMethod)"),
            FreshnessWrite(
                label: "schedule created", method: .post, target: "/api/v1/schedules",
                json: #"{"name":"secondary","time_zone":"Europe/London"}"#),
            FreshnessWrite(label: "schedule edited", method: .patch, target: schedule, json: reordered),
            FreshnessWrite(
                label: "override added", method: .post, target: "\(schedule)/overrides", json: cover),
            FreshnessWrite(
                label: "override deleted", method: .delete, target: "\(schedule)/overrides/\(people.override)"
            ),
            FreshnessWrite(
                label: "schedule deleted", method: .delete, target: "/api/v1/schedules/\(people.retiring)"),
            FreshnessWrite(label: "user deleted", method: .delete, target: "/api/v1/users/\(people.leaving)"),
        ]
    }
}
