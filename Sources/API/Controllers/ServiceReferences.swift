import Domain
import Postgres
import Repositories

/// SPEC §14: every `service` or `services` field of part two takes a service name or id.
enum ServiceReferences {
    /// The services `references` name, in order; a ``ValidationError`` names `field(i)` for each
    /// reference that names no service.
    static func resolve(
        _ references: [String], field: (Int) -> String, connection: PostgresConnection
    ) throws -> [ServiceRecord] {
        let found = try ServiceRepository(connection).resolve(references)
        var issues: [FieldIssue] = []
        for (index, service) in found.enumerated() where service == nil {
            issues.append(
                FieldIssue(field: field(index), message: "no service is named \(references[index])"))
        }
        guard issues.isEmpty else { throw ValidationError(issues) }
        return found.compactMap { $0 }
    }
}
