import Domain
import Foundation
import HTTPServer
import Postgres
import Repositories

extension AlertsController {
    /// `POST /api/v1/alerts` through group commit (issue 5): the trigger, its timeline entry
    /// and the request's audit row are written together with the other triggers arriving at
    /// the same moment, one upsert for all of them (``AlertTriggerBatch``), in one transaction,
    /// and answered after that COMMIT. The same answer as ``create(_:)`` gives.
    ///
    /// Nil (take the usual path, ``create(_:)`` in a transaction of its own) for what a single
    /// statement cannot do: a critical alert (SPEC §3 grouping), a service that does not exist
    /// yet (created on first use), or a batch that failed and committed nothing.
    @Sendable static func createInGroupCommit(_ call: GroupCommitRequest) throws -> HTTPResponse? {
        let (alert, target) = try newAlert(call.request, principal: call.principal)
        guard !alert.severity.opensIncident else { return nil }
        let actor = call.principal.actorName
        let service: AlertRepository.TriggerService = target.serviceID.map { .id($0) } ?? .name(alert.service)
        let trigger = BatchedTrigger(
            alert: alert, service: service, actor: actor, now: call.now,
            audit: APIRouter.auditEntry(call.request, principal: call.principal, status: 0, now: call.now))
        let row: PostgresRow
        switch call.environment.groupCommit.run(trigger, key: alert.service + "\u{0}" + alert.dedupKey) {
        case .committed(.success(let committed)):
            // No row: the service does not exist and nothing was written.
            guard let committed else { return nil }
            row = committed
        case .committed(.failure(let error)):
            // Committed, but its row could not be read: running it again would count it twice.
            throw error
        case .failed(let error as PostgresError) where error.transactionStep == .commit:
            // The COMMIT's answer was lost: it may have committed, so it must not run again.
            throw error
        case .failed(let error as PostgresError)
        where error.kind == .poolTimeout || error.kind == .poolClosed || error.kind == .connectFailed
            || error.kind == .deadlineExceeded:
            // No connection could be had: the usual path would wait as long again for the same
            // 503 (Alertmanager and the PagerDuty clients retry it).
            throw error
        case .failed:
            return nil
        }
        var result = try AlertRepository.triggerResult(row, alert: alert)
        AlertIngestion.count(routePattern: call.request.routePattern)
        if result.needsGrouping {
            // Folded into an open critical alert that is in no incident yet: group it now, in a
            // transaction of its own (grouping checks again under the service lock).
            result = try call.environment.pool.withTransaction { connection in
                try IncidentRepository(connection).groupTriggered(
                    result, actor: actor, policy: call.environment.settings.slaPolicy, now: call.now)
            }
        }
        return try triggerResponse(result)
    }
}
