import Foundation

/// A public maintenance window (or one occurrence of a recurring one) as the status page
/// shows it (SPEC §13): never a non-public one.
public struct PublicMaintenanceWindow: Sendable, Hashable {
    /// `MW-<id>` (SPEC §14).
    public let ref: String
    public let description: String
    /// The services it covers; nil for every service.
    public let serviceIDs: [Int64]?
    /// Its period in force or next (for a recurring window, that occurrence).
    public let startsAt: Date
    public let endsAt: Date
    /// When the window was planned.
    public let createdAt: Date

    public init(
        ref: String, description: String, serviceIDs: [Int64]?, startsAt: Date, endsAt: Date, createdAt: Date
    ) {
        self.ref = ref
        self.description = description
        self.serviceIDs = serviceIDs
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdAt = createdAt
    }
}
