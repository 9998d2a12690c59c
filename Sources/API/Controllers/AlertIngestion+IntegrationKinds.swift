import HTTPServer

extension AlertIngestion {
    /// The integration kind whose routing keys each alert route accepts. A key works on the
    /// routes of its own kind only: a key pasted into the wrong sender fails loudly at its
    /// first alert instead of feeding alerts in through a format nobody meant for it, and a
    /// leaked key opens one door, not four. API keys are not concerned.
    static let routeKinds: [String: String] = [
        "/api/v1/alerts": "generic",
        "/v2/enqueue": "pagerduty",
        "/v2/change/enqueue": "pagerduty",
        "/api/v1/integrations/alertmanager": "alertmanager",
        "/alerts/trigger": "runbook",
        "/alerts/acknowledge": "runbook",
        "/alerts/resolve": "runbook",
        "/v2/alerts": "opsgenie",
        "/v2/alerts/{identifier}/acknowledge": "opsgenie",
        "/v2/alerts/{identifier}/close": "opsgenie",
        "/v2/alerts/{identifier}/notes": "opsgenie",
    ]

    /// Why `principal` may not use `route`, or nil: a routing key of another kind of
    /// integration than the route's (``routeKinds``; a route missing there takes none).
    static func integrationKindMismatch(of principal: Principal, route: String?) -> String? {
        guard case .routingKey(_, _, _, _, let kind) = principal else { return nil }
        guard let route, let expected = routeKinds[route] else {
            return "Routing keys are not accepted on this route."
        }
        guard kind != expected else { return nil }
        return "This routing key belongs to a \(kind) integration; \(route) accepts the keys of "
            + "\(expected) integrations only (POST /api/v1/services/{id}/integrations with "
            + "{\"kind\":\"\(expected)\"} makes one)."
    }

    /// Throws 403 with ``integrationKindMismatch(of:route:)``'s reason.
    static func checkIntegrationKind(of principal: Principal, route: String?) throws {
        if let mismatch = integrationKindMismatch(of: principal, route: route) {
            throw ProblemDetails(status: 403, detail: mismatch)
        }
    }
}
