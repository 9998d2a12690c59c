import Domain
import Foundation
import Postgres

/// One page as `GET /incidents/{id}/escalation` shows it: the delivery and who or what it went
/// to. Names are nil for a person, contact method or channel deleted since.
public struct EscalationPageRecord: Sendable, Hashable {
    public let deliveryID: Int64
    public let state: DeliveryRecord.State
    public let position: EscalationPosition
    public let userID: Int64?
    public let userName: String?
    public let contactMethodID: Int64?
    public let contactMethodKind: String?
    public let channelID: Int64?
    public let channelName: String?
    public let createdAt: Date
}

/// An incident's escalation with its pages, oldest first, and the names of its plan's targets.
public struct EscalationDetail: Sendable {
    public let record: EscalationRecord
    public let pages: [EscalationPageRecord]
    /// Names of the plan's targets that still exist.
    public let targetNames: [EscalationTarget: String]
}

extension EscalationRepository {
    /// Incident `incidentID`'s escalation, its pages and its targets' names; nil when it has none.
    public func detail(incidentID: Int64) throws -> EscalationDetail? {
        guard let record = try find(incidentID: incidentID) else { return nil }
        let pages = try connection.query(
            """
            SELECT d.id, d.state, d.page_step, d.page_loop, d.page_user_id, u.name AS user_name, d.contact_method_id,
                   m.kind AS method_kind, d.channel_id, c.name AS channel_name, d.created_at
            FROM deliveries d
            LEFT JOIN users u ON u.id = d.page_user_id
            LEFT JOIN contact_methods m ON m.id = d.contact_method_id
            LEFT JOIN channels c ON c.id = d.channel_id
            WHERE d.page_incident_id = \(incidentID)
            ORDER BY d.page_loop, d.page_step, d.id
            """
        ).map { row in
            let stateText: String = try row.decode("state")
            guard let state = DeliveryRecord.State(rawValue: stateText) else {
                throw PostgresError(
                    .decoding, message: "unknown delivery state \(stateText)", column: "state")
            }
            return EscalationPageRecord(
                deliveryID: try row.decode("id"), state: state,
                position: EscalationPosition(
                    step: try row.decode("page_step"), loop: try row.decode("page_loop")),
                userID: try row.decode("page_user_id"), userName: try row.decode("user_name"),
                contactMethodID: try row.decode("contact_method_id"),
                contactMethodKind: try row.decode("method_kind"),
                channelID: try row.decode("channel_id"), channelName: try row.decode("channel_name"),
                createdAt: try row.decode("created_at"))
        }
        let names = try EscalationPolicyRepository(connection).targetNames(record.plan.allTargets)
        return EscalationDetail(record: record, pages: pages, targetNames: names)
    }
}

extension EscalationPolicyRepository {
    /// The names of `targets` that exist: people's and schedules' and channels' names.
    public func targetNames(_ targets: [EscalationTarget]) throws -> [EscalationTarget: String] {
        func ids(_ kind: EscalationTarget.Kind) -> [Int64] { targets.filter { $0.kind == kind }.map(\.id) }
        guard !targets.isEmpty else { return [:] }
        let rows = try connection.query(
            """
            SELECT 'user' AS kind, id, name FROM users WHERE id = ANY(\(ids(.user)))
            UNION ALL SELECT 'schedule', id, name FROM schedules WHERE id = ANY(\(ids(.schedule)))
            UNION ALL SELECT 'channel', id, name FROM channels WHERE id = ANY(\(ids(.channel)))
            """)
        var names: [EscalationTarget: String] = [:]
        for row in rows {
            if let kind = EscalationTarget.Kind(rawValue: try row.decode("kind")) {
                names[EscalationTarget(kind, id: try row.decode("id"))] = try row.decode("name")
            }
        }
        return names
    }
}
