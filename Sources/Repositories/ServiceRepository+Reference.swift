import Domain
import Foundation
import Postgres

extension ServiceRepository {
    /// The service a part-two `service` field names (SPEC §14: a name or an id). A number is
    /// an id first; a service whose name is that number is found when no service has the id.
    public func find(_ reference: ServiceReference) throws -> ServiceRecord? {
        switch reference {
        case .id(let id): try find(id: id) ?? find(name: String(id))
        case .name(let name): try find(name: name)
        }
    }
}
