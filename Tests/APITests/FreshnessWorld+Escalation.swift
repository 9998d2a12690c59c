import Foundation
import HTTPServer

@testable import API

/// Escalation policies (issue 16) in ``FreshnessWorld``: a policy paging the on-call person and
/// the primary schedule, given to a service `storefront` whose SEV1 incident (declared with an
/// alert) escalates; a second policy made to be deleted.
extension FreshnessWorld {
    /// What the escalation part of the world is made of.
    struct Escalation {
        let policy: Int
        let spare: Int
        let incident: Int
        let alert: Int
    }

    static func makeEscalation(_ app: InProcessApp, people: People, channel: Int) throws -> Escalation {
        func created(_ target: String, _ json: String, _ step: String) throws -> Int {
            try app.created(app.admin(.post, target, json: json), step)
        }
        let steps =
            #"[{"delay_seconds":900,"targets":[{"type":"user","id":\#(people.onCall)},{"type":"channel","id":\#(channel)}]},"#
            + #"{"delay_seconds":1800,"targets":[{"type":"schedule","id":\#(people.schedule)}]}]"#
        let policy = try created(
            "/api/v1/escalation-policies", #"{"name":"Platform ladder","repeat":1,"steps":\#(steps)}"#,
            "policy")
        let spare = try created(
            "/api/v1/escalation-policies",
            #"{"name":"Spare","steps":[{"delay_seconds":60,"targets":[{"type":"user","id":\#(people.other)}]}]}"#,
            "spare policy")
        _ = try created(
            "/api/v1/services", #"{"name":"storefront","escalation_policy":\#(policy)}"#, "service")
        let alert = try created(
            "/api/v1/alerts", PipelineInProcessTests.alert("cart-5xx", service: "storefront"),
            "storefront alert")
        let incident = try created(
            "/api/v1/incidents",
            #"{"title":"Cart errors","severity":"SEV1","services":["storefront"],"alert_ids":[\#(alert)]}"#,
            "escalating incident")
        return Escalation(policy: policy, spare: spare, incident: incident, alert: alert)
    }

    static func escalationReads(_ escalation: Escalation) -> [String] {
        [
            "/api/v1/escalation-policies", "/api/v1/escalation-policies/\(escalation.policy)",
            "/api/v1/incidents/\(escalation.incident)/escalation", "/api/v1/oncall",
        ]
    }

    static func escalationWrites(_ escalation: Escalation, people: People) -> [FreshnessWrite] {
        [
            FreshnessWrite(
                label: "escalation policy created", method: .post, target: "/api/v1/escalation-policies",
                json:
                    #"{"name":"Nights","steps":[{"delay_seconds":300,"targets":[{"type":"user","id":\#(people.other)}]}]}"#
            ),
            FreshnessWrite(
                label: "escalation policy edited", method: .patch,
                target: "/api/v1/escalation-policies/\(escalation.policy)", json: #"{"repeat":2}"#),
            FreshnessWrite(
                label: "service given an escalation policy", method: .patch,
                target: "/api/v1/services/checkout",
                json: #"{"escalation_policy":\#(escalation.spare)}"#),
            FreshnessWrite(
                label: "service's escalation policy removed", method: .patch,
                target: "/api/v1/services/checkout",
                json: #"{"escalation_policy":null}"#),
            FreshnessWrite(
                label: "escalation policy deleted", method: .delete,
                target: "/api/v1/escalation-policies/\(escalation.spare)"),
            FreshnessWrite(
                label: "alert of an escalating incident acknowledged", method: .post,
                target: "/api/v1/alerts/\(escalation.alert)/acknowledge", json: "{}"),
        ]
    }
}
