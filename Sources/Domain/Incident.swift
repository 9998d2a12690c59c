import Foundation

/// The unit of response (SPEC §3).
public struct Incident: Sendable, Hashable {
    public var id: Int64
    public var title: String
    public var severity: IncidentSeverity
    public var status: IncidentStatus
    public var summary: String?
    public var impact: String?
    public var commander: String?
    /// Names of the affected services.
    public var services: [String]
    /// `#incident-YYYY-MM-DD-<slug>`, fixed at creation (``IncidentChannel``).
    public var channel: String
    /// When the problem began (may be before anyone noticed).
    public var startedAt: Date
    /// When it was noticed; the SLA clock starts here.
    public var detectedAt: Date
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// When the status first reached `monitoring` (the fix is in, watching).
    public var mitigatedAt: Date?
    public var resolvedAt: Date?
    public var resolvedBy: String?
    public var resolution: String?
    /// ``SLAPolicy/ackDue(detectedAt:severity:)`` at creation or the last severity change.
    public var ackDueAt: Date
    public var slaBreached: Bool
    public var createdAt: Date
    /// Moves on every change; the `since=` change feed reads it.
    public var updatedAt: Date
    /// Its escalation policy's progress (SPEC §11); nil when none started (SEV3/SEV4, or no
    /// service with a policy).
    public var escalation: EscalationSummary?

    // Limits.
    /// Longest title, in characters.
    public static let maxTitleLength = 200
    /// Longest summary or impact, in characters.
    public static let maxTextLength = 10_000
    /// Longest commander name, in characters.
    public static let maxCommanderLength = 200
    /// Most services on one incident.
    public static let maxServices = 50
    /// Most alerts attached in one request.
    public static let maxAlertIDsPerRequest = 500

    /// `INC-<id>`.
    public var ref: EntityRef { .incident(id) }

    /// Whether the incident still needs a response.
    public var isOpen: Bool { status.isOpen }

    public init(
        id: Int64, title: String, severity: IncidentSeverity, status: IncidentStatus = .investigating,
        summary: String? = nil, impact: String? = nil, commander: String? = nil, services: [String] = [],
        channel: String, startedAt: Date, detectedAt: Date, acknowledgedAt: Date? = nil,
        acknowledgedBy: String? = nil, mitigatedAt: Date? = nil, resolvedAt: Date? = nil,
        resolvedBy: String? = nil, resolution: String? = nil, ackDueAt: Date, slaBreached: Bool = false,
        createdAt: Date, updatedAt: Date, escalation: EscalationSummary? = nil
    ) {
        self.id = id
        self.title = title
        self.severity = severity
        self.status = status
        self.summary = summary
        self.impact = impact
        self.commander = commander
        self.services = services
        self.channel = channel
        self.startedAt = startedAt
        self.detectedAt = detectedAt
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.mitigatedAt = mitigatedAt
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.resolution = resolution
        self.ackDueAt = ackDueAt
        self.slaBreached = slaBreached
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.escalation = escalation
    }

    /// Minutes from detection to resolution (seed 003 "Duration"), rounded to the nearest
    /// minute; nil while unresolved.
    public var durationMinutes: Int? {
        guard let resolvedAt else { return nil }
        return Int((max(0, resolvedAt.timeIntervalSince(detectedAt)) / 60).rounded())
    }
}
