import Foundation
import Postgres

/// The outcome of one Opsgenie alert call, as `GET /v2/alerts/requests/{requestId}` answers
/// it (SPEC §12).
public struct OpsgenieRequestRecord: Sendable, Hashable {
    public let requestID: String
    /// `Create`, `Acknowledge`, `Close`, `AddNote`.
    public let action: String
    public let processedAt: Date
    public let integrationID: String
    public let isSuccess: Bool
    /// What happened, in words (`Created alert`, `Alert is already closed`, ...).
    public let status: String
    public let alertID: Int64?
    public let alias: String?
    /// The caller's service when it used a routing key; nil for an API key.
    public let serviceID: Int64?

    public init(
        requestID: String, action: String, processedAt: Date, integrationID: String, isSuccess: Bool,
        status: String, alertID: Int64?, alias: String?, serviceID: Int64?
    ) {
        self.requestID = requestID
        self.action = action
        self.processedAt = processedAt
        self.integrationID = integrationID
        self.isSuccess = isSuccess
        self.status = status
        self.alertID = alertID
        self.alias = alias
        self.serviceID = serviceID
    }
}

/// SQL for `opsgenie_requests` (migration 0013): written in the call's own transaction, so the
/// outcome exists exactly when the change it describes committed, and any process can answer.
public struct OpsgenieRequestRepository {
    /// How long outcomes are kept; older rows are pruned as new ones are written.
    public static let retention: TimeInterval = 7 * 24 * 3600
    /// Old rows one write prunes at most, so pruning never makes a call slow.
    static let pruneBatch: Int64 = 20

    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Stores `record`, and prunes a few outcomes older than ``retention`` in the same statement.
    public func record(_ record: OpsgenieRequestRecord) throws {
        let cutoff = record.processedAt.addingTimeInterval(-Self.retention)
        _ = try connection.execute(
            """
            WITH pruned AS (
                DELETE FROM opsgenie_requests WHERE request_id IN (
                    SELECT request_id FROM opsgenie_requests WHERE processed_at < \(cutoff)
                    ORDER BY processed_at LIMIT \(Self.pruneBatch) FOR UPDATE SKIP LOCKED)
            )
            INSERT INTO opsgenie_requests (request_id, action, processed_at, integration_id, is_success, status,
                                           alert_id, alias, service_id)
            VALUES (\(record.requestID), \(record.action), \(record.processedAt), \(record.integrationID),
                    \(record.isSuccess), \(record.status), \(record.alertID), \(record.alias), \(record.serviceID))
            """)
    }

    /// The alert the newest recorded call with `alias` named, within ``retention``: how an
    /// alias that no open alert holds any more still finds its (closed) alert. `serviceID`
    /// limits it to calls made with that service's routing keys.
    public func lastAlertID(alias: String, serviceID: Int64?) throws -> Int64? {
        var query: PostgresQuery = """
            SELECT alert_id FROM opsgenie_requests WHERE alias = \(alias) AND alert_id IS NOT NULL
            """
        if let serviceID { query.append(" AND service_id = \(serviceID)") }
        query.append(" ORDER BY processed_at DESC LIMIT 1")
        return try connection.query(query).first.map { try $0.decode("alert_id") }
    }

    /// The outcome stored for `requestID`.
    public func find(requestID: String) throws -> OpsgenieRequestRecord? {
        try connection.query(
            """
            SELECT request_id, action, processed_at, integration_id, is_success, status, alert_id, alias, service_id
            FROM opsgenie_requests WHERE request_id = \(requestID)
            """
        ).first.map { row in
            OpsgenieRequestRecord(
                requestID: try row.decode("request_id"), action: try row.decode("action"),
                processedAt: try row.decode("processed_at"), integrationID: try row.decode("integration_id"),
                isSuccess: try row.decode("is_success"), status: try row.decode("status"),
                alertID: try row.decode("alert_id"), alias: try row.decode("alias"),
                serviceID: try row.decode("service_id"))
        }
    }
}
