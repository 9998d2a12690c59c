import Domain
import Foundation
import HTTPServer
import Repositories

/// The one path every alert source goes through (native API, PagerDuty, Alertmanager, seed
/// runbooks): which service an alert belongs to, and the trigger itself.
///
/// SPEC §3 grouping (critical alerts open or join an incident, issue 6) runs in
/// ``trigger(_:serviceID:context:repeats:)`` right after the upsert, in the same transaction,
/// through `IncidentRepository.groupTriggered` (which acts when `needsGrouping` is true).
enum AlertIngestion {
    /// The service an alert is sent to, as far as it is known before validation.
    struct Target {
        /// The service name to validate the alert with (nil: the body must name one).
        let serviceName: String?
        /// Set for routing keys, whose service is fixed.
        let serviceID: Int64?
    }

    /// Where an alert from `principal` goes. A routing key sends to its own service only (SPEC
    /// §5): naming another service is refused with 403 rather than silently re-routed, so a
    /// misconfigured sender notices. An API key sends to the service it names, or to
    /// `defaultService` when it names none. No query: a routing key's principal carries its
    /// service's id and name (the group-commit path has no connection). `route`: the matched
    /// route pattern, whose integration kind a routing key must have.
    static func target(
        requested: String?, defaultService: String? = nil, principal: Principal, route: String?
    )
        throws -> Target
    {
        try checkIntegrationKind(of: principal, route: route)
        let requested = Validator.trimmed(requested)
        guard case .routingKey(_, let serviceID, let serviceName, _, _) = principal else {
            return Target(serviceName: requested ?? defaultService, serviceID: nil)
        }
        if let requested, requested != serviceName {
            throw ProblemDetails(
                status: 403,
                detail:
                    "This routing key sends alerts to the service \(serviceName) only, not to \(requested).")
        }
        return Target(serviceName: serviceName, serviceID: serviceID)
    }

    /// The id of the alert's service: the routing key's, or the named service, created on
    /// first use (issue 5: scripts name their service).
    private static func serviceID(for alert: NewAlert, target: Target, context: RequestContext) throws
        -> Int64
    {
        if let id = target.serviceID { return id }
        // Created on first use: a change to the services (ADR 0006).
        context.changed(.services)
        return try ServiceRepository(context.connection).findOrCreate(name: alert.service).id
    }

    /// Triggers `alert` in the request's transaction, recording the caller as the actor.
    static func trigger(
        _ alert: NewAlert, serviceID: Int64, context: RequestContext,
        repeats: AlertRepeatPolicy = .countEveryTrigger
    ) throws -> AlertTriggerResult? {
        guard
            let result = try AlertRepository(context.connection).trigger(
                alert, serviceID: serviceID, actor: context.principal.actorName, now: context.now,
                repeats: repeats)
        else { return nil }
        return try accepted(result, context: context)
    }

    /// Triggers `alert` on its target with every repeat counted. A named service is looked up
    /// inside the trigger statement (one round trip, issue 5 performance); only when it does
    /// not exist yet is it created and the trigger sent again by id.
    static func triggerCounted(_ alert: NewAlert, target: Target, context: RequestContext) throws
        -> AlertTriggerResult
    {
        if target.serviceID == nil,
            let result = try AlertRepository(context.connection).trigger(
                alert, service: .name(alert.service), actor: context.principal.actorName, now: context.now)
        {
            return try accepted(result, context: context)
        }
        return try triggerCounted(
            alert, serviceID: try serviceID(for: alert, target: target, context: context), context: context)
    }

    /// Counts an accepted trigger and runs SPEC §3 grouping on it.
    private static func accepted(_ result: AlertTriggerResult, context: RequestContext) throws
        -> AlertTriggerResult
    {
        // Counted when accepted inside the request; a rare rolled-back retry may count twice.
        count(routePattern: context.request.routePattern, in: context.environment.metrics)
        // SPEC §3 grouping (issue 6): a critical alert opens or joins its service's incident.
        let grouped = try IncidentRepository(context.connection).groupTriggered(
            result, actor: context.principal.actorName, policy: context.environment.settings.slaPolicy,
            now: context.now)
        context.changed(families(of: grouped.record))
        return grouped
    }

    /// What a change to the alert `record` (as it is after the change) changed, for the
    /// response cache (ADR 0006): an alert in an incident is shown on the incident's page and
    /// in its post-mortem, so changing it changes `incidents` too; grouping that opened or
    /// joined an incident leaves the alert in it.
    static func families(of record: AlertRecord) -> ResourceFamilies {
        record.incidentID == nil ? .alerts : [.alerts, .incidents]
    }

    /// `trigger` with every repeat counted, which always returns a result.
    static func triggerCounted(_ alert: NewAlert, serviceID: Int64, context: RequestContext) throws
        -> AlertTriggerResult
    {
        guard let result = try trigger(alert, serviceID: serviceID, context: context) else {
            // With .countEveryTrigger the upsert always inserts or updates, so it returns a row.
            throw ProblemDetails(status: 500, detail: "The alert could not be recorded.")
        }
        return result
    }

    /// Counts one accepted alert for `/metrics`, by the route it came through.
    static func count(routePattern: String?, in metrics: MetricsRegistry) {
        if let source = AlertIngestionSource(routePattern: routePattern) {
            metrics.alerts.record(source)
        }
    }

    /// Refuses a routing key acting on another service's alert (seed runbook ack/resolve).
    static func checkAccess(to record: AlertRecord, context: RequestContext) throws {
        try checkIntegrationKind(of: context.principal, route: context.request.routePattern)
        if case .routingKey(_, let serviceID, _, _, _) = context.principal, serviceID != record.serviceID {
            throw ProblemDetails(
                status: 403, detail: "A routing key can only act on its own service's alerts.")
        }
    }
}
