import Foundation
import TestSupport

/// The people and policy of an escalation test, made through the API of a process on `port`:
/// one person per step, each with a webhook contact method paging `receiver`; a policy of those
/// steps (`delay` seconds each) given to each of `services`.
struct EscalationSetup {
    let people: [Int64]
    let policy: Int64

    init(
        port: Int, key: String, receiver: PageReceiver, steps: Int, delay: Int, services: [String],
        prefix: String = ""
    )
        throws
    {
        var people: [Int64] = []
        for index in 1...steps {
            let name = "\(prefix)L\(index)"
            let user = try HTTPCall.ok(
                port: port, "POST", "/api/v1/users", json: #"{"name":"\#(name)"}"#, key: key)
            let id = try Self.id(user)
            try HTTPCall.ok(
                port: port, "POST", "/api/v1/users/\(id)/contact-methods",
                json: #"{"kind":"webhook","url":"\#(receiver.url(for: name))"}"#, key: key)
            people.append(id)
        }
        let stepsJSON = people.map { #"{"delay_seconds":\#(delay),"targets":[{"type":"user","id":\#($0)}]}"# }
            .joined(separator: ",")
        policy = try Self.id(
            try HTTPCall.ok(
                port: port, "POST", "/api/v1/escalation-policies",
                json: #"{"name":"\#(prefix)ladder","steps":[\#(stepsJSON)]}"#, key: key))
        for service in services {
            try HTTPCall.ok(
                port: port, "POST", "/api/v1/services",
                json: #"{"name":"\#(service)","escalation_policy":\#(policy)}"#,
                key: key)
        }
        self.people = people
    }

    static func id(_ object: [String: Any]) throws -> Int64 {
        guard let id = (object["id"] as? NSNumber)?.int64Value else {
            throw EscalationTestFailure("no id in \(object)")
        }
        return id
    }

    /// A critical alert on `service` (it opens a SEV1/SEV2 incident that escalates); the alert's body.
    @discardableResult
    static func criticalAlert(port: Int, key: String, service: String, dedupKey: String) throws -> [String:
        Any]
    {
        try HTTPCall.ok(
            port: port, "POST", "/api/v1/alerts",
            json:
                #"{"service":"\#(service)","source":"probe","summary":"\#(service) down","severity":"critical","dedup_key":"\#(dedupKey)"}"#,
            key: key)
    }
}

/// Runs `body` until it returns true or `seconds` pass; whether it did.
func waitFor(_ seconds: TimeInterval, _ body: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try body() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return try body()
}
