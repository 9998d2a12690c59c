import Domain
import Foundation
import Postgres

/// SQL for `incidents` and `incident_services` (SPEC §3, issue 6). Runs inside the caller's
/// transaction (ADR 0002); background jobs open their own with `pool.withTransaction`.
///
/// Every method that changes an incident first locks it (`SELECT ... FOR UPDATE`), decides
/// with ``IncidentTransition``, updates it and appends its timeline entries on the same
/// connection, so a change and its entries commit together.
///
/// - Create and read: ``create(_:actor:policy:now:)``, ``find(id:)``, ``detail(id:)``,
///   ``list(_:limit:cursor:)``.
/// - Response workflow: ``acknowledge(id:actor:note:now:)``, ``changeStatus(id:to:actor:now:)``,
///   ``resolve(id:actor:resolution:now:)``, ``update(id:patch:actor:policy:now:)``,
///   ``attachAlerts(id:alertIDs:actor:now:)``.
/// - Timeline: ``timeline(id:limit:cursor:)``, ``addNote(id:note:actor:now:)``.
/// - Grouping of critical alerts: ``group(_:actor:policy:now:)``.
/// - SLA job: ``escalateOverdue(now:limit:)``.
public struct IncidentRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// The incident with this id.
    public func find(id: Int64) throws -> Incident? {
        try connection.query("SELECT \(sql: Self.columns) FROM incidents i WHERE i.id = \(id)").first.map(
            Self.incident)
    }

    /// Incident `id`, locked until the transaction ends; throws `DomainError.notFound` when
    /// there is none.
    ///
    /// `FOR NO KEY UPDATE`, the lock PostgreSQL's own `UPDATE` of non-key columns takes: it
    /// still orders every change of the incident, but lets rows that merely reference it
    /// (timeline entries, an escalation step's entry) be inserted meanwhile. The escalation
    /// worker holds an escalation row while it writes such an entry, and an acknowledgement holds
    /// the incident while it stops that escalation; with `FOR UPDATE` the two would deadlock.
    func lock(id: Int64) throws -> Incident {
        let rows = try connection.query(
            "SELECT \(sql: Self.columns) FROM incidents i WHERE i.id = \(id) FOR NO KEY UPDATE OF i")
        guard let row = rows.first else {
            throw DomainError.notFound(.incident, EntityRef.incident(id).description)
        }
        return try Self.incident(row)
    }

    /// Runs an `UPDATE incidents ... RETURNING *` and reads the row back with its services.
    func update(_ statement: PostgresQuery) throws -> Incident {
        let query: PostgresQuery = "WITH i AS (\(statement)) SELECT \(sql: Self.columns) FROM i"
        guard let row = try connection.query(query).first else {
            // Callers lock the row first in this transaction, so it still exists.
            throw PostgresError(.protocolViolation, message: "the locked incident vanished during its update")
        }
        return try Self.incident(row)
    }

    /// Adds `serviceIDs` to the incident's services (already present ones are kept) and
    /// refreshes its sorted copy of their names, `incidents.service_names` (migration 0005),
    /// which reads use instead of joining for every row.
    func addServices(_ serviceIDs: [Int64], to incidentID: Int64) throws {
        guard !serviceIDs.isEmpty else { return }
        try connection.execute(
            """
            INSERT INTO incident_services (incident_id, service_id)
            SELECT \(incidentID), unnest(\(serviceIDs))
            ON CONFLICT ON CONSTRAINT incident_services_pkey DO NOTHING
            """)
        // A statement of its own: a sub-select in the INSERT's statement would not see its rows.
        try connection.execute(
            """
            UPDATE incidents SET service_names = ARRAY(
                SELECT s.name FROM incident_services x JOIN services s ON s.id = x.service_id
                WHERE x.incident_id = \(incidentID) ORDER BY s.name)
            WHERE id = \(incidentID)
            """)
    }

    /// Columns every incident query selects; `i` is `incidents`. Services are listed by name, sorted.
    static let columns: StaticString = """
        i.id, i.title, i.severity, i.status, i.summary, i.impact, i.commander, i.channel, i.started_at,
        i.detected_at, i.acknowledged_at, i.acknowledged_by, i.mitigated_at, i.resolved_at, i.resolved_by,
        i.resolution, i.ack_due_at, i.sla_breached, i.created_at, i.updated_at, i.service_names AS services,
        (SELECT e.state || ':' || e.step || ':' || e.loop FROM incident_escalations e WHERE e.incident_id = i.id)
            AS escalation_summary,
        (SELECT e.next_step_at FROM incident_escalations e WHERE e.incident_id = i.id) AS escalation_next_step_at
        """

    /// Positions of ``columns``, in order: the dashboard poll decodes 1,000 cells per page, and
    /// decoding by position skips a name lookup for each.
    enum Column: Int, CaseIterable {
        case id, title, severity, status, summary, impact, commander, channel, startedAt, detectedAt
        case acknowledgedAt, acknowledgedBy, mitigatedAt, resolvedAt, resolvedBy, resolution, ackDueAt
        case slaBreached, createdAt, updatedAt, services, escalationSummary, escalationNextStepAt

        /// Every column's name, in order.
        static let names = allCases.map(\.name)

        /// The column's name in ``IncidentRepository/columns``.
        var name: String {
            let snake = "\(self)".unicodeScalars.map {
                $0.properties.isUppercase ? "_\($0)".lowercased() : "\($0)"
            }
            return snake.joined()
        }
    }

    /// Decodes a row selected with ``columns``. The first row of each result checks that the
    /// columns are where ``Column`` says, so a reordered list fails loudly instead of mixing fields.
    static func incident(_ row: PostgresRow) throws -> Incident {
        if row.index == 0 {
            let names = row.rows.columns.prefix(Column.allCases.count).map(\.name)
            guard names == Column.names else {
                throw PostgresError(.decoding, message: "incident columns out of order: \(names)")
            }
        }
        func value<Value: PostgresDecodable>(_ column: Column) throws -> Value {
            try row.decode(column.rawValue)
        }
        let severityText: String = try value(.severity)
        let statusText: String = try value(.status)
        guard let severity = IncidentSeverity(rawValue: severityText) else {
            throw PostgresError(
                .decoding, message: "unknown incident severity \(severityText)", column: "severity")
        }
        guard let status = IncidentStatus(rawValue: statusText) else {
            throw PostgresError(.decoding, message: "unknown incident status \(statusText)", column: "status")
        }
        return Incident(
            id: try value(.id), title: try value(.title), severity: severity, status: status,
            summary: try value(.summary), impact: try value(.impact), commander: try value(.commander),
            services: try value(.services), channel: try value(.channel), startedAt: try value(.startedAt),
            detectedAt: try value(.detectedAt), acknowledgedAt: try value(.acknowledgedAt),
            acknowledgedBy: try value(.acknowledgedBy), mitigatedAt: try value(.mitigatedAt),
            resolvedAt: try value(.resolvedAt), resolvedBy: try value(.resolvedBy),
            resolution: try value(.resolution),
            ackDueAt: try value(.ackDueAt), slaBreached: try value(.slaBreached),
            createdAt: try value(.createdAt),
            updatedAt: try value(.updatedAt),
            escalation: try escalationSummary(try value(.escalationSummary), try value(.escalationNextStepAt))
        )
    }

    /// The escalation summary from its two columns (`state:step:loop` and `next_step_at`);
    /// nil when the incident has no escalation.
    static func escalationSummary(_ text: String?, _ nextStepAt: Date?) throws -> EscalationSummary? {
        guard let text else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 3, let state = EscalationState(rawValue: String(parts[0])),
            let step = Int(parts[1]), let loop = Int(parts[2])
        else {
            throw PostgresError(.decoding, message: "escalation summary \(text) is not state:step:loop")
        }
        return EscalationSummary(state: state, step: step, loop: loop, nextStepAt: nextStepAt)
    }
}
