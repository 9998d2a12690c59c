import Domain
import Foundation
import HTTPServer
import Repositories

extension AlertsController {
    /// `POST /api/v1/alerts` through group commit (issue 5): the trigger, its timeline entry
    /// and the request's audit row are written together with the other triggers arriving at
    /// the same moment, one upsert for all of them (``AlertIngestBatcher``), in one transaction,
    /// and answered after that COMMIT. The same answer as ``create(_:)`` gives.
    ///
    /// The usual path (``create(_:target:_:)`` in a transaction of its own, with the alert as
    /// read here) for what a single statement cannot do: a critical alert (SPEC §3 grouping), a
    /// service that does not exist yet (created on first use), or a batch that failed and
    /// committed nothing.
    @Sendable static func createInGroupCommit(_ call: GroupCommitRequest) throws -> GroupCommitAnswer {
        let (alert, target) = try newAlert(call.request, principal: call.principal)
        let usualPath = GroupCommitAnswer.inTransaction { context in
            try create(alert, target: target, context)
        }
        guard !alert.severity.opensIncident else { return usualPath }
        let actor = call.principal.actorName
        let service: AlertRepository.TriggerService = target.serviceID.map { .id($0) } ?? .name(alert.service)
        let trigger = BatchedTrigger(
            alert: alert, service: service, actor: actor, now: call.now,
            audit: RequestAudit.entry(call.request, principal: call.principal, status: 0, now: call.now))
        let committed: AlertTriggerResult?
        do {
            committed = try call.environment.alertBatches.trigger(trigger)
        } catch {
            // It may have committed (an unreadable row, a lost COMMIT answer), and nobody knows
            // whether the alert is in an incident: assume it is (ADR 0006).
            call.changed(.incidents)
            throw error
        }
        // Nil: nothing was written (no such service yet, or the batch failed): the usual path.
        guard var result = committed else { return usualPath }
        AlertIngestion.count(routePattern: call.request.routePattern, in: call.environment.metrics)
        if result.needsGrouping {
            // Folded into an open critical alert that is in no incident yet: group it now, in a
            // transaction of its own (grouping checks again under the service lock).
            result = try call.environment.pool.withTransaction { connection in
                try IncidentRepository(connection).groupTriggered(
                    result, actor: actor, policy: call.environment.settings.slaPolicy, now: call.now)
            }
        }
        // A warning alert outside any incident changed alerts only: the incident lists stay cached.
        call.changed(AlertIngestion.families(of: result.record))
        return .answered(try triggerResponse(result))
    }
}
