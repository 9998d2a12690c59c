import Domain
import Foundation
import Postgres

/// A service alerts are about (SPEC §3).
public struct ServiceRecord: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let description: String
    public let criticalAlertIncidentSeverity: String
    public let createdAt: Date
    /// The escalation policy its SEV1/SEV2 incidents start (SPEC §11); nil for none.
    public let escalationPolicyID: Int64?
}

/// An integration of a service: the holder of a routing key (secret never stored).
public struct IntegrationRecord: Sendable, Equatable {
    public let id: Int64
    public let serviceID: Int64
    public let serviceName: String
    public let name: String
    public let kind: String
    public let keyID: String
    public let createdAt: Date
    public let revokedAt: Date?
}

/// SQL for `services` and `integrations`.
public struct ServiceRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Creates a service; a taken name (`services_name_unique`) is a conflict.
    public func create(
        name: String, description: String, criticalAlertIncidentSeverity: String,
        escalationPolicyID: Int64? = nil
    ) throws
        -> ServiceRecord
    {
        do {
            let rows = try connection.query(
                """
                INSERT INTO services (name, description, critical_alert_incident_severity, escalation_policy_id)
                VALUES (\(name), \(description), \(criticalAlertIncidentSeverity), \(escalationPolicyID))
                RETURNING \(sql: Self.columns)
                """)
            return try Self.service(rows[0])
        } catch let error as PostgresError where error.isUniqueViolation(constraint: "services_name_unique") {
            throw DomainError.conflict("A service named \(name) already exists.")
        }
    }

    /// All services by name.
    public func list() throws -> [ServiceRecord] {
        try connection.query("SELECT \(sql: Self.columns) FROM services ORDER BY name").map(Self.service)
    }

    /// A service by id.
    public func find(id: Int64) throws -> ServiceRecord? {
        try connection.query("SELECT \(sql: Self.columns) FROM services WHERE id = \(id)").first.map(
            Self.service)
    }

    /// A service by exact name.
    public func find(name: String) throws -> ServiceRecord? {
        try connection.query("SELECT \(sql: Self.columns) FROM services WHERE name = \(name)").first.map(
            Self.service)
    }

    /// The service named `name`, created on first use (alerts from scripts name their service).
    public func findOrCreate(name: String) throws -> ServiceRecord {
        if let existing = try find(name: name) { return existing }
        let inserted = try connection.query(
            """
            INSERT INTO services (name) VALUES (\(name))
            ON CONFLICT ON CONSTRAINT services_name_unique DO NOTHING
            RETURNING \(sql: Self.columns)
            """)
        if let row = inserted.first { return try Self.service(row) }
        // A concurrent transaction created it while this INSERT waited. READ COMMITTED gives each
        // statement its own snapshot, so only a new statement sees that row (a SELECT inside the
        // INSERT's statement would not, and would return no row at all).
        guard let created = try find(name: name) else {
            throw PostgresError(.protocolViolation, message: "service \(name) conflicted but cannot be read")
        }
        return created
    }

    /// Adds an integration holding a routing key (stored as its hash).
    public func createIntegration(
        serviceID: Int64, name: String, kind: String, keyID: String, secretHash: [UInt8]
    ) throws -> IntegrationRecord {
        let rows = try connection.query(
            """
            WITH inserted AS (
                INSERT INTO integrations (service_id, name, kind, key_id, secret_hash)
                VALUES (\(serviceID), \(name), \(kind), \(keyID), \(secretHash))
                RETURNING id, service_id, name, kind, key_id, created_at, revoked_at
            )
            SELECT i.*, s.name AS service_name FROM inserted i JOIN services s ON s.id = i.service_id
            """)
        return try Self.integration(rows[0])
    }

    /// The integration with this routing-key lookup id and the key's hash.
    public func findIntegrationForAuthentication(keyID: String) throws
        -> (record: IntegrationRecord, secretHash: [UInt8])?
    {
        let rows = try connection.query(
            """
            SELECT i.id, i.service_id, i.name, i.kind, i.key_id, i.created_at, i.revoked_at, i.secret_hash,
                   s.name AS service_name
            FROM integrations i JOIN services s ON s.id = i.service_id
            WHERE i.key_id = \(keyID)
            """)
        guard let row = rows.first else { return nil }
        return (try Self.integration(row), try row.decode("secret_hash", as: [UInt8].self))
    }

    /// A service's integrations.
    public func integrations(serviceID: Int64) throws -> [IntegrationRecord] {
        try connection.query(
            """
            SELECT i.id, i.service_id, i.name, i.kind, i.key_id, i.created_at, i.revoked_at,
                   s.name AS service_name
            FROM integrations i JOIN services s ON s.id = i.service_id
            WHERE i.service_id = \(serviceID) ORDER BY i.id
            """
        ).map(Self.integration)
    }

    /// Applies `PATCH /services/{id}`: each non-nil argument replaces its column
    /// (`escalationPolicy` `.clear` removes the policy). Nil when there is no such service.
    public func update(
        id: Int64, description: String?, criticalAlertIncidentSeverity: String?,
        escalationPolicy: FieldUpdate<Int64>?
    ) throws -> ServiceRecord? {
        let setsPolicy = escalationPolicy != nil
        var policyID: Int64?
        if case .set(let value) = escalationPolicy { policyID = value }
        do {
            return try connection.query(
                """
                UPDATE services SET
                    description = COALESCE(\(description), description),
                    critical_alert_incident_severity = COALESCE(\(criticalAlertIncidentSeverity),
                                                                critical_alert_incident_severity),
                    escalation_policy_id = CASE WHEN \(setsPolicy) THEN \(policyID) ELSE escalation_policy_id END
                WHERE id = \(id)
                RETURNING \(sql: Self.columns)
                """
            ).first.map(Self.service)
        } catch let error as PostgresError
            where error.isForeignKeyViolation(constraint: "services_escalation_policy_fk")
        {
            // Checked by the caller; deleted by a concurrent request since.
            throw ValidationError(field: "escalation_policy", message: "names a policy that was just deleted")
        }
    }

    static let columns: StaticString =
        "id, name, description, critical_alert_incident_severity, created_at, escalation_policy_id"

    static func service(_ row: PostgresRow) throws -> ServiceRecord {
        ServiceRecord(
            id: try row.decode("id"), name: try row.decode("name"),
            description: try row.decode("description"),
            criticalAlertIncidentSeverity: try row.decode("critical_alert_incident_severity"),
            createdAt: try row.decode("created_at"),
            escalationPolicyID: try row.decode("escalation_policy_id"))
    }

    static func integration(_ row: PostgresRow) throws -> IntegrationRecord {
        IntegrationRecord(
            id: try row.decode("id"), serviceID: try row.decode("service_id"),
            serviceName: try row.decode("service_name"), name: try row.decode("name"),
            kind: try row.decode("kind"), keyID: try row.decode("key_id"),
            createdAt: try row.decode("created_at"),
            revokedAt: try row.decode("revoked_at"))
    }
}

extension ServiceRepository {
    /// The service each of `references` names (SPEC §14: a name or an id; a name wins when a
    /// service is named like a number), nil for one that names none, in order.
    public func resolve(_ references: [String]) throws -> [ServiceRecord?] {
        guard !references.isEmpty else { return [] }
        let ids = references.compactMap { Int64($0) }
        let rows = try connection.query(
            "SELECT \(sql: Self.columns) FROM services WHERE name = ANY(\(references)) OR id = ANY(\(ids))")
        let services = try rows.map(Self.service)
        return references.map { reference in
            services.first { $0.name == reference }
                ?? Int64(reference).flatMap { id in services.first { $0.id == id } }
        }
    }

    /// The services with these ids, by id.
    public func find(ids: [Int64]) throws -> [Int64: ServiceRecord] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query("SELECT \(sql: Self.columns) FROM services WHERE id = ANY(\(ids))")
        return Dictionary(uniqueKeysWithValues: try rows.map(Self.service).map { ($0.id, $0) })
    }
}
