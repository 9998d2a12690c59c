import Foundation
import TestSupport
import Testing

extension TestApp {
    /// A new person; returns their id.
    func makeUser(_ name: String, email: String? = nil, chatUser: String? = nil) throws -> Int64 {
        var body: [String: Any] = ["name": name]
        if let email { body["email"] = email }
        if let chatUser { body["chat_user"] = chatUser }
        let response = try admin("POST", "/api/v1/users", json: jsonText(body))
        guard response.status == 201, let id = (response.json["id"] as? NSNumber)?.int64Value else {
            throw ScheduleTestFailure(message: "user \(name): \(response.status) \(response.bodyText)")
        }
        return id
    }

    /// A new schedule from a JSON-able body; returns its id.
    func makeSchedule(_ body: [String: Any]) throws -> Int64 {
        let response = try admin("POST", "/api/v1/schedules", json: jsonText(body))
        guard response.status == 201, let id = (response.json["id"] as? NSNumber)?.int64Value else {
            throw ScheduleTestFailure(message: "schedule: \(response.status) \(response.bodyText)")
        }
        return id
    }

    /// `GET /schedules/{id}/oncall?at=`: the user id on call (nil: nobody) and the whole answer.
    func onCall(_ schedule: Int64, at: String? = nil) throws -> (user: Int64?, answer: [String: Any]) {
        let query = at.map { "?at=\($0.replacingOccurrences(of: "+", with: "%2B"))" } ?? ""
        let response = try admin("GET", "/api/v1/schedules/\(schedule)/oncall\(query)")
        guard response.status == 200 else {
            throw ScheduleTestFailure(message: "oncall: \(response.status) \(response.bodyText)")
        }
        let user = (response.json["user"] as? [String: Any]).flatMap { ($0["id"] as? NSNumber)?.int64Value }
        return (user, response.json)
    }
}

/// The `field`s of a problem+json answer's `errors`.
func problemFields(_ response: RawHTTPResponse) -> [String] {
    (response.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
}

/// An instant from an RFC 3339 literal (a typo is a test bug).
func instant(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else { preconditionFailure("bad \(text)") }
    return date
}

/// JSON text of a dictionary or array built in a test.
func jsonText(_ value: Any) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
}

struct ScheduleTestFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
