import HTTPServer

/// Every route of incidentd with who may call it (SPEC §4, §5). This file is the table;
/// handlers live in `Controllers/`. docs/openapi.yaml mirrors it (checked by a test).
///
/// For the response cache (ADR 0006) a read says what its answer is made of (`reads:`) and a
/// write what every call may change (`changes:`); a handler that sometimes changes more
/// reports it (`context.changed(_:)`, noted below). Left out, both mean every family: the
/// safe default. `ResponseCacheFreshnessTests` checks every write against every read.
public enum Routes {
    /// The read-only switch: the one write read-only mode lets through (SPEC §12).
    static let readOnlySwitchPattern = "/api/v1/admin/read-only"

    public static func all() -> [APIRoute] {
        [
            // Operations: open (SPEC §4).
            APIRoute(.get, "/healthz", .open, execution: .eventLoop, .plain(HealthController.healthz)),
            APIRoute(.get, "/readyz", .open, .environment(HealthController.readyz)),
            APIRoute(.get, "/api/health", .open, .environment(HealthController.health)),
            APIRoute(.get, "/api/health/db", .open, .environment(HealthController.health)),
            // What runbooks probe first (`curl -I …/health`): the same answer as /api/health.
            APIRoute(.get, "/health", .open, .environment(HealthController.health)),
            // This API's OpenAPI document, built into the binary (issue 20).
            APIRoute(.get, "/openapi.yaml", .open, execution: .eventLoop, .plain(OpenAPIController.yaml)),
            APIRoute(.get, "/openapi.json", .open, execution: .eventLoop, .plain(OpenAPIController.json)),

            // API keys, services, integrations, audit: admin (issue 4).
            APIRoute(
                .post, "/api/v1/api-keys", .role(.admin), changes: .apiKeys,
                .database(APIKeysController.create)),
            APIRoute(
                .get, "/api/v1/api-keys", .role(.admin), reads: .apiKeys, .database(APIKeysController.list)),
            APIRoute(
                .delete, "/api/v1/api-keys/{id}", .role(.admin), changes: .apiKeys, changesCredentials: true,
                .database(APIKeysController.revoke)),
            APIRoute(
                .post, "/api/v1/services", .role(.admin), changes: .services,
                .database(ServicesController.create)),
            APIRoute(
                .get, "/api/v1/services", .role(.viewer), reads: .services, .database(ServicesController.list)
            ),
            APIRoute(
                .get, "/api/v1/services/{id}", .role(.viewer), reads: .services,
                .database(ServicesController.show)),
            APIRoute(
                .patch, "/api/v1/services/{id}", .role(.admin), changes: .services,
                .database(ServicesController.update)),
            APIRoute(
                .post, "/api/v1/services/{id}/integrations", .role(.admin), changes: .services,
                .database(ServicesController.createIntegration)),
            APIRoute(.get, "/api/v1/audit", .role(.admin), reads: .audit, .database(AuditController.list)),
            // Read-only mode (SPEC §12): every process follows the switch within a second.
            APIRoute(.get, readOnlySwitchPattern, .role(.viewer), .database(ReadOnlyModeController.show)),
            APIRoute(.put, readOnlySwitchPattern, .role(.admin), .database(ReadOnlyModeController.update)),

            // Alerts (issue 5): routing keys may send alerts, only people act on them. Senders'
            // routes change alerts; their handlers report `incidents` when the alert is in one
            // (or a critical one opened or joined one) and `services` when its service was
            // created (AlertIngestion): a warning storm leaves the incident pages cached.
            APIRoute(
                .post, "/api/v1/alerts", .roleOrRoutingKey(.responder), changes: .alerts,
                groupCommit: AlertsController.createInGroupCommit, .database(AlertsController.create)),
            APIRoute(
                .get, "/api/v1/alerts", .role(.viewer), reads: .alerts, .database(AlertsController.list)),
            APIRoute(
                .get, "/api/v1/alerts/{id}", .role(.viewer), reads: .alerts, .database(AlertsController.show)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/acknowledge", .role(.responder), changes: [.alerts, .incidents],
                .database(AlertsController.acknowledge)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/resolve", .role(.responder), changes: [.alerts, .incidents],
                .database(AlertsController.resolve)),
            APIRoute(
                .get, "/api/v1/alerts/{id}/timeline", .role(.viewer), reads: .alerts,
                .database(AlertsController.timeline)),
            APIRoute(
                .post, "/api/v1/alerts/{id}/timeline", .role(.responder), changes: [.alerts, .incidents],
                .database(AlertsController.addNote)),
            // Senders' own formats: PagerDuty Events API v2, Alertmanager webhook v4.
            APIRoute(
                .post, "/v2/enqueue", .credentialsInRequest, changes: .alerts,
                .database(PagerDutyController.enqueue)),
            APIRoute(
                .post, "/v2/change/enqueue", .credentialsInRequest, changes: .services,
                .database(PagerDutyController.enqueueChange)),
            APIRoute(
                .post, "/api/v1/integrations/alertmanager", .routingKey, changes: .alerts,
                .database(AlertmanagerController.receive)),
            // Seed runbooks (seed 001): a responder key or a routing key.
            APIRoute(
                .post, "/alerts/trigger", .roleOrRoutingKey(.responder), changes: .alerts,
                .database(RunbookAlertsController.trigger)),
            APIRoute(
                .post, "/alerts/acknowledge", .roleOrRoutingKey(.responder), changes: .alerts,
                .database(RunbookAlertsController.acknowledge)),
            APIRoute(
                .post, "/alerts/resolve", .roleOrRoutingKey(.responder), changes: .alerts,
                .database(RunbookAlertsController.resolve)),

            // Opsgenie Alert API v2 and heartbeat pings (SPEC §12, issue 17): `GenieKey` or
            // `?apiKey=` (Authenticator), a routing key or an API key; Opsgenie's error shape
            // (OpsgenieErrorMiddleware). A create reports `incidents`/`services` as the native
            // route does (AlertIngestion); acting on an alert may change its incident's page.
            APIRoute(
                .post, "/v2/alerts", .roleOrRoutingKey(.responder), changes: .alerts,
                .database(OpsgenieController.create)),
            APIRoute(
                .post, "/v2/alerts/{identifier}/acknowledge", .roleOrRoutingKey(.responder),
                changes: [.alerts, .incidents], .database(OpsgenieController.acknowledge)),
            APIRoute(
                .post, "/v2/alerts/{identifier}/close", .roleOrRoutingKey(.responder),
                changes: [.alerts, .incidents], .database(OpsgenieController.close)),
            APIRoute(
                .post, "/v2/alerts/{identifier}/notes", .roleOrRoutingKey(.responder),
                changes: [.alerts, .incidents], .database(OpsgenieController.addNote)),
            APIRoute(
                .get, "/v2/alerts/requests/{requestId}", .roleOrRoutingKey(.viewer),
                .database(OpsgenieController.requestStatus)),
        ] + pingRoutes("/v2/heartbeats/{name}/ping", OpsgenieController.pingHeartbeat) + [
            // Heartbeats (SPEC §12, issue 17): configured by admins, pinged by the watched job
            // with a responder key or its service's routing key. No family tracks heartbeats, so
            // their reads declare every family (any write, which always adds to the audit log,
            // drops them); a change that ends an expiry resolves its alert, which may be in an
            // incident (a ping reports that when it happens).
            APIRoute(
                .post, "/api/v1/heartbeats", .role(.admin), changes: [],
                .database(HeartbeatsController.create)),
            APIRoute(
                .get, "/api/v1/heartbeats", .role(.viewer), .database(HeartbeatsController.list)),
            APIRoute(
                .get, "/api/v1/heartbeats/{name}", .role(.viewer),
                .database(HeartbeatsController.show)),
            APIRoute(
                .patch, "/api/v1/heartbeats/{name}", .role(.admin), changes: [.alerts, .incidents],
                .database(HeartbeatsController.update)),
            APIRoute(
                .delete, "/api/v1/heartbeats/{name}", .role(.admin), changes: [.alerts, .incidents],
                .database(HeartbeatsController.delete)),
        ] + pingRoutes("/api/v1/heartbeats/{name}/ping", HeartbeatsController.ping) + [

            // Incidents and timelines (issue 6). Incident writes that can attach, acknowledge or
            // resolve alerts change alerts too (an alert shows its incident).
            APIRoute(
                .post, "/api/v1/incidents", .role(.responder), changes: [.incidents, .alerts],
                .database(IncidentsController.create)),
            APIRoute(
                .get, "/api/v1/incidents", .role(.viewer), reads: .incidents,
                .database(IncidentsController.list)),
            APIRoute(
                .get, "/api/v1/incidents/{id}", .role(.viewer), reads: .incidents,
                .database(IncidentsController.show)),
            APIRoute(
                .patch, "/api/v1/incidents/{id}", .role(.responder), changes: [.incidents, .alerts],
                .database(IncidentsController.update)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/acknowledge", .role(.responder),
                changes: [.incidents, .alerts],
                .database(IncidentsController.acknowledge)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/status", .role(.responder), changes: [.incidents, .alerts],
                .database(IncidentsController.changeStatus)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/resolve", .role(.responder), changes: [.incidents, .alerts],
                .database(IncidentsController.resolve)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/alerts", .role(.responder), changes: [.incidents, .alerts],
                .database(IncidentsController.attachAlerts)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/timeline", .role(.viewer), reads: .incidents,
                .database(TimelineController.list)),
            // SPEC §11: never cached (page deliveries change state without a request).
            APIRoute(
                .get, "/api/v1/incidents/{id}/escalation", .role(.viewer), reads: .incidents,
                .database(IncidentEscalationController.show)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/timeline", .role(.responder), changes: .incidents,
                .database(TimelineController.addNote)),

            // Post-mortems, action items, reports (issue 7). Reopening a published post-mortem
            // needs an admin: a transition rule checked in PostMortemTransition, not route access.
            // Post-mortems render their incident (title, timeline, its alerts' entries).
            APIRoute(
                .post, "/api/v1/incidents/{id}/postmortem", .role(.responder),
                changes: [.postMortems, .incidents],
                .database(PostMortemController.create)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/postmortem", .role(.viewer), reads: [.postMortems, .incidents],
                .database(PostMortemController.show)),
            APIRoute(
                .patch, "/api/v1/incidents/{id}/postmortem", .role(.responder),
                changes: [.postMortems, .incidents],
                .database(PostMortemController.update)),
            APIRoute(
                .get, "/api/v1/incidents/{id}/postmortem.md", .role(.viewer),
                reads: [.postMortems, .incidents],
                .database(PostMortemController.markdown)),
            APIRoute(
                .get, "/api/v1/postmortems", .role(.viewer), reads: [.postMortems, .incidents],
                .database(PostMortemController.list)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/postmortem/action-items", .role(.responder),
                changes: [.postMortems, .incidents], .database(ActionItemController.create)),
            APIRoute(
                .get, "/api/v1/action-items", .role(.viewer), reads: [.postMortems, .incidents],
                .database(ActionItemController.list)),
            APIRoute(
                .get, "/api/v1/action-items/{id}", .role(.viewer), reads: [.postMortems, .incidents],
                .database(ActionItemController.show)),
            APIRoute(
                .patch, "/api/v1/action-items/{id}", .role(.responder), changes: [.postMortems, .incidents],
                .database(ActionItemController.update)),
            APIRoute(
                .get, "/api/v1/reports/incident-metrics", .role(.viewer), reads: [.incidents, .postMortems],
                .database(ReportController.incidentMetrics)),
            // Prometheus scrape (SPEC §4: open); a worker thread, see MetricsController.
            APIRoute(.get, "/metrics", .open, .environment(MetricsController.serve)),

            // Event log and notifications (issue 14, SPEC §8, §9): channels and deliveries are
            // admin routes (URLs and secrets are secrets, SPEC §14).
            APIRoute(.get, "/api/v1/events", .role(.viewer), .database(EventsController.list)),
            // The live stream and the export (issue 18, SPEC §8): long-lived streamed answers.
            APIRoute(
                .get, "/api/v1/stream", .role(.viewer), streams: true, .database(StreamController.stream)),
            APIRoute(.get, "/api/v1/export", .role(.admin), .database(ExportController.export)),
            APIRoute(.post, "/api/v1/channels", .role(.admin), .database(ChannelsController.create)),
            APIRoute(.get, "/api/v1/channels", .role(.admin), .database(ChannelsController.list)),
            APIRoute(.get, "/api/v1/channels/{id}", .role(.admin), .database(ChannelsController.show)),
            APIRoute(.patch, "/api/v1/channels/{id}", .role(.admin), .database(ChannelsController.update)),
            APIRoute(.delete, "/api/v1/channels/{id}", .role(.admin), .database(ChannelsController.delete)),
            APIRoute(.post, "/api/v1/channels/{id}/test", .role(.admin), .database(ChannelsController.test)),
            APIRoute(.get, "/api/v1/deliveries", .role(.admin), .database(DeliveriesController.list)),
            APIRoute(
                .post, "/api/v1/deliveries/{id}/redeliver", .role(.admin),
                .database(DeliveriesController.redeliver)),

            // People and on-call schedules (issue 15, SPEC §10): configuration admin, reads viewer.
            // No resource family describes them yet (ADR 0006): reads and writes keep the safe
            // default, every family.
            APIRoute(.post, "/api/v1/users", .role(.admin), .database(UsersController.create)),
            APIRoute(.get, "/api/v1/users", .role(.viewer), .database(UsersController.list)),
            APIRoute(.get, "/api/v1/users/{id}", .role(.viewer), .database(UsersController.show)),
            APIRoute(.patch, "/api/v1/users/{id}", .role(.admin), .database(UsersController.update)),
            APIRoute(.delete, "/api/v1/users/{id}", .role(.admin), .database(UsersController.delete)),
            APIRoute(
                .post, "/api/v1/users/{id}/contact-methods", .role(.admin),
                .database(UsersController.createContactMethod)),
            APIRoute(
                .get, "/api/v1/users/{id}/contact-methods", .role(.viewer),
                .database(UsersController.listContactMethods)),
            APIRoute(
                .delete, "/api/v1/users/{id}/contact-methods/{mid}", .role(.admin),
                .database(UsersController.deleteContactMethod)),
            APIRoute(.post, "/api/v1/schedules", .role(.admin), .database(SchedulesController.create)),
            APIRoute(.get, "/api/v1/schedules", .role(.viewer), .database(SchedulesController.list)),
            APIRoute(.get, "/api/v1/schedules/{id}", .role(.viewer), .database(SchedulesController.show)),
            APIRoute(.patch, "/api/v1/schedules/{id}", .role(.admin), .database(SchedulesController.update)),
            APIRoute(.delete, "/api/v1/schedules/{id}", .role(.admin), .database(SchedulesController.delete)),
            APIRoute(
                .post, "/api/v1/schedules/{id}/overrides", .role(.admin),
                .database(ScheduleOverridesController.create)),
            APIRoute(
                .get, "/api/v1/schedules/{id}/overrides", .role(.viewer),
                .database(ScheduleOverridesController.list)),
            APIRoute(
                .delete, "/api/v1/schedules/{id}/overrides/{oid}", .role(.admin),
                .database(ScheduleOverridesController.delete)),
            APIRoute(
                .get, "/api/v1/schedules/{id}/oncall", .role(.viewer), .database(OnCallController.onCall)),
            APIRoute(
                .get, "/api/v1/schedules/{id}/shifts", .role(.viewer), .database(OnCallController.shifts)),
            APIRoute(
                .get, "/api/v1/schedules/{id}/calendar.ics", .role(.viewer),
                .database(OnCallController.calendar)),
            // Escalation policies (issue 16, SPEC §11): configuration admin, reads viewer. No
            // resource family describes them (ADR 0006): reads and writes keep the safe default.
            APIRoute(
                .post, "/api/v1/escalation-policies", .role(.admin),
                .database(EscalationPoliciesController.create)),
            APIRoute(
                .get, "/api/v1/escalation-policies", .role(.viewer),
                .database(EscalationPoliciesController.list)),
            APIRoute(
                .get, "/api/v1/escalation-policies/{id}", .role(.viewer),
                .database(EscalationPoliciesController.show)),
            APIRoute(
                .patch, "/api/v1/escalation-policies/{id}", .role(.admin),
                .database(EscalationPoliciesController.update)),
            APIRoute(
                .delete, "/api/v1/escalation-policies/{id}", .role(.admin),
                .database(EscalationPoliciesController.delete)),
            APIRoute(.get, "/api/v1/oncall", .role(.viewer), .database(PolicyOnCallController.list)),
            // PagerDuty REST compatibility (SPEC §10, §14): at the root, as PagerDuty has it.
            APIRoute(.get, "/oncalls", .role(.viewer), .database(PagerDutyOnCallsController.list)),

            // Status page (issue 19, SPEC §13–§14). A component is a view over services, so its
            // writes change `services`; what the page shows is made of incidents (publication and
            // public updates are incident writes) and services. Maintenance windows, when they
            // land, change what the page shows too: their writes must include `services`.
            APIRoute(
                .post, "/api/v1/status/components", .role(.admin), changes: .services,
                .database(StatusComponentsController.create)),
            APIRoute(
                .get, "/api/v1/status/components", .role(.admin), reads: [.services, .incidents],
                .database(StatusComponentsController.list)),
            APIRoute(
                .get, "/api/v1/status/components/{id}", .role(.admin), reads: [.services, .incidents],
                .database(StatusComponentsController.show)),
            APIRoute(
                .patch, "/api/v1/status/components/{id}", .role(.admin), changes: .services,
                .database(StatusComponentsController.update)),
            APIRoute(
                .delete, "/api/v1/status/components/{id}", .role(.admin), changes: .services,
                .database(StatusComponentsController.delete)),
            APIRoute(
                .get, "/api/v1/status/components/{id}/uptime", .role(.admin), reads: [.services, .incidents],
                .database(StatusComponentsController.uptime)),
            APIRoute(
                .post, "/api/v1/incidents/{id}/status-updates", .role(.responder),
                changes: [.incidents, .alerts],
                .database(StatusUpdatesController.create)),
            APIRoute(
                .get, "/status", .open, reads: [.services, .incidents], .database(StatusPageController.page)),
            APIRoute(
                .get, "/status/api/v2/summary.json", .open, reads: [.services, .incidents],
                .database(StatusPageController.summary)),
            APIRoute(
                .get, "/status/api/v2/status.json", .open, reads: [.services, .incidents],
                .database(StatusPageController.status)),
            APIRoute(
                .get, "/status/api/v2/components.json", .open, reads: [.services, .incidents],
                .database(StatusPageController.components)),
            APIRoute(
                .get, "/status/api/v2/incidents/unresolved.json", .open, reads: [.services, .incidents],
                .database(StatusPageController.unresolvedIncidents)),
            APIRoute(
                .get, "/status/api/v2/scheduled-maintenances/upcoming.json", .open,
                reads: [.services, .incidents],
                .database(StatusPageController.upcomingMaintenances)),
            APIRoute(
                .get, "/status/api/v2/scheduled-maintenances/active.json", .open,
                reads: [.services, .incidents],
                .database(StatusPageController.activeMaintenances)),
            // Maintenance windows (SPEC §12): responders plan and cancel, viewers read. Answers
            // change with the clock (a window starts), so reads are never cached (the handler
            // does not allow it) and read every family; creating one changes nothing another
            // route shows (alerts record their window when they trigger) except, for a public
            // one, the status page (the handler reports `services`); a cancel ends a period in
            // force, which hands its alerts on to incidents.
            APIRoute(
                .post, "/api/v1/maintenance-windows", .role(.responder), changes: [],
                .database(MaintenanceWindowsController.create)),
            APIRoute(
                .get, "/api/v1/maintenance-windows", .role(.viewer),
                .database(MaintenanceWindowsController.list)),
            APIRoute(
                .get, "/api/v1/maintenance-windows/{id}", .role(.viewer),
                .database(MaintenanceWindowsController.show)),
            APIRoute(
                .delete, "/api/v1/maintenance-windows/{id}", .role(.responder),
                changes: [.alerts, .incidents, .services],
                .database(MaintenanceWindowsController.cancel)),

            // Chat (issue 8): bots with a responder key; Slack signs its requests instead of
            // sending a key, so that handler checks the signature itself (ChatController+Slack).
            // A command may act on anything: every family.
            APIRoute(.post, "/api/v1/chat/command", .role(.responder), .database(ChatController.command)),
            APIRoute(.post, "/api/v1/chat/slack", .credentialsInRequest, .database(ChatController.slack)),
        ]
    }

    /// A ping path under each method a pinger may use (SPEC §12: GET, POST, PUT, PATCH), with a
    /// responder key or a routing key (the handler holds a routing key to its own service). A
    /// ping that ends an expiry resolves its alert and reports it. GET pings write too
    /// (`writes: true`): a transaction, an audit row, refused in read-only mode.
    private static func pingRoutes(
        _ pattern: String, _ handler: @escaping @Sendable (RequestContext) throws -> HTTPResponse
    ) -> [APIRoute] {
        [HTTPMethod.get, .post, .put, .patch].map { method in
            APIRoute(
                method, pattern, .roleOrRoutingKey(.responder), changes: [], writes: true, .database(handler))
        }
    }
}
