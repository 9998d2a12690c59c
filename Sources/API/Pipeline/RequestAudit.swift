import Foundation
import HTTPServer
import Postgres
import Repositories

/// The audit row of a request (SPEC §5: actor, action, target, address, time).
enum RequestAudit {
    static func entry(_ request: HTTPRequest, principal: Principal, status: Int, now: Date) -> AuditEntry {
        AuditEntry(
            occurredAt: now, actorKind: principal.auditKind, actorID: principal.auditID,
            actorName: principal.actorName,
            action: "\(request.method.rawValue) \(request.routePattern ?? request.path)",
            target: request.path,
            remoteAddress: ClientAddress.of(request), requestID: request.requestID, status: status)
    }

    /// Writes one audit row on its own connection (requests refused before any business work).
    /// No connection may be held by the caller.
    static func record(_ request: HTTPRequest, principal: Principal, status: Int, environment: APIEnvironment)
        throws
    {
        let entry = entry(request, principal: principal, status: status, now: environment.clock())
        do {
            try environment.pool.withConnection { try AuditRepository($0).record(entry) }
            // A refusal is no write (no CacheInvalidationStage after it), but the audit log grew.
            environment.responses.invalidate(.audit)
        } catch let error as PostgresError where error.isUnavailable {
            // The refusal stands even when the database is away; the log keeps the trace.
            environment.logger.warning(
                "audit_write_failed",
                ["request_id": .string(request.requestID), "error": .string(error.description)])
        }
    }
}
