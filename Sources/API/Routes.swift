import HTTPServer

/// Every route of incidentd with who may call it (SPEC §4, §5). This file is the table;
/// handlers live in `Controllers/`. docs/openapi.yaml mirrors it (checked by a test).
public enum Routes {
    public static func all() -> [APIRoute] {
        [
            // Operations: open (SPEC §4).
            APIRoute(.get, "/healthz", .open, execution: .eventLoop, .plain(HealthController.healthz)),
            APIRoute(.get, "/readyz", .open, .environment(HealthController.readyz)),
            APIRoute(.get, "/api/health", .open, .environment(HealthController.health)),
            APIRoute(.get, "/api/health/db", .open, .environment(HealthController.health)),
            // What runbooks probe first (`curl -I …/health`): the same answer as /api/health.
            APIRoute(.get, "/health", .open, .environment(HealthController.health)),

            // API keys, services, integrations, audit: admin (issue 4).
            APIRoute(.post, "/api/v1/api-keys", .role(.admin), .database(APIKeysController.create)),
            APIRoute(.get, "/api/v1/api-keys", .role(.admin), .database(APIKeysController.list)),
            APIRoute(
                .delete, "/api/v1/api-keys/{id}", .role(.admin), changesCredentials: true,
                .database(APIKeysController.revoke)),
            APIRoute(.post, "/api/v1/services", .role(.admin), .database(ServicesController.create)),
            APIRoute(.get, "/api/v1/services", .role(.viewer), .database(ServicesController.list)),
            APIRoute(.get, "/api/v1/services/{id}", .role(.viewer), .database(ServicesController.show)),
            APIRoute(
                .post, "/api/v1/services/{id}/integrations", .role(.admin),
                .database(ServicesController.createIntegration)),
            APIRoute(.get, "/api/v1/audit", .role(.admin), .database(AuditController.list)),

            // Alerts (issue 5): routing keys may send alerts, only people act on them.
            APIRoute(
                .post, "/api/v1/alerts", .roleOrRoutingKey(.responder),
                groupCommit: AlertsController.createInGroupCommit, .database(AlertsController.create)),
            APIRoute(.get, "/api/v1/alerts", .role(.viewer), .database(AlertsController.list)),
            APIRoute(.get, "/api/v1/alerts/{id}", .role(.viewer), .database(AlertsController.show)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/acknowledge", .role(.responder),
                .database(AlertsController.acknowledge)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/resolve", .role(.responder), .database(AlertsController.resolve)),
            APIRoute(
                .get, "/api/v1/alerts/{id}/timeline", .role(.viewer), .database(AlertsController.timeline)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/timeline", .role(.responder), .database(AlertsController.addNote)),
            // Senders' own formats: PagerDuty Events API v2, Alertmanager webhook v4.
            APIRoute(.post, "/v2/enqueue", .credentialsInRequest, .database(PagerDutyController.enqueue)),
            APIRoute(
                .post, "/v2/change/enqueue", .credentialsInRequest,
                .database(PagerDutyController.enqueueChange)),
            APIRoute(
                .post, "/api/v1/integrations/alertmanager", .routingKey,
                .database(AlertmanagerController.receive)),
            // Seed runbooks (seed 001): a responder key or a routing key.
            APIRoute(
                .post, "/alerts/trigger", .roleOrRoutingKey(.responder),
                .database(RunbookAlertsController.trigger)),
            APIRoute(
                .post, "/alerts/acknowledge", .roleOrRoutingKey(.responder),
                .database(RunbookAlertsController.acknowledge)),
            APIRoute(
                .post, "/alerts/resolve", .roleOrRoutingKey(.responder),
                .database(RunbookAlertsController.resolve)),

            // Incidents and timelines (issue 6).
            APIRoute(.post, "/api/v1/incidents", .role(.responder), .database(IncidentsController.create)),
            APIRoute(.get, "/api/v1/incidents", .role(.viewer), .database(IncidentsController.list)),
            APIRoute(.get, "/api/v1/incidents/{id}", .role(.viewer), .database(IncidentsController.show)),
            APIRoute(
                .patch, "/api/v1/incidents/{id}", .role(.responder), .database(IncidentsController.update)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/acknowledge", .role(.responder),
                .database(IncidentsController.acknowledge)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/status", .role(.responder),
                .database(IncidentsController.changeStatus)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/resolve", .role(.responder),
                .database(IncidentsController.resolve)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/alerts", .role(.responder),
                .database(IncidentsController.attachAlerts)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/timeline", .role(.viewer), .database(TimelineController.list)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/timeline", .role(.responder),
                .database(TimelineController.addNote)),

            // Post-mortems, action items, reports (issue 7). Reopening a published post-mortem
            // needs an admin: a transition rule checked in PostMortemTransition, not route access.
            APIRoute(
                .post, "/api/v1/incidents/{id}/postmortem", .role(.responder),
                .database(PostMortemController.create)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/postmortem", .role(.viewer),
                .database(PostMortemController.show)),
            APIRoute(
                .patch, "/api/v1/incidents/{id}/postmortem", .role(.responder),
                .database(PostMortemController.update)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/postmortem.md", .role(.viewer),
                .database(PostMortemController.markdown)),
            APIRoute(.get, "/api/v1/postmortems", .role(.viewer), .database(PostMortemController.list)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/postmortem/action-items", .role(.responder),
                .database(ActionItemController.create)),
            APIRoute(.get, "/api/v1/action-items", .role(.viewer), .database(ActionItemController.list)),
            APIRoute(.get, "/api/v1/action-items/{id}", .role(.viewer), .database(ActionItemController.show)),
            APIRoute(
                .patch, "/api/v1/action-items/{id}", .role(.responder),
                .database(ActionItemController.update)),
            APIRoute(
                .get, "/api/v1/reports/incident-metrics", .role(.viewer),
                .database(ReportController.incidentMetrics)),
            // Prometheus scrape (SPEC §4: open); a worker thread, see MetricsController.
            APIRoute(.get, "/metrics", .open, .environment(MetricsController.serve)),

            // Chat (issue 8): bots with a responder key; Slack signs its requests instead of
            // sending a key, so that handler checks the signature itself (ChatController+Slack).
            APIRoute(.post, "/api/v1/chat/command", .role(.responder), .database(ChatController.command)),
            APIRoute(.post, "/api/v1/chat/slack", .credentialsInRequest, .database(ChatController.slack)),
        ]
    }
}
