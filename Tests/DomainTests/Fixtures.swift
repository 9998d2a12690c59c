import Domain
import Foundation

/// A UTC instant from an RFC 3339 string; test inputs are literals, so a typo is a test bug.
func utc(_ text: String) -> Date {
    guard let date = ISO8601DateFormatter().date(from: text) else {
        preconditionFailure("bad test timestamp \(text)")
    }
    return date
}

/// An incident with scripted timestamps, for key moments, drafts and Markdown.
func scriptedIncident(
    acknowledgedAt: Date? = utc("2024-12-13T14:05:00Z"), mitigatedAt: Date? = nil,
    resolvedAt: Date? = utc("2024-12-13T14:49:00Z")
) -> Incident {
    Incident(
        id: 42, title: "Payments API returning 500s", severity: .sev1,
        status: resolvedAt == nil ? .monitoring : .resolved, summary: "Checkout failed for most users.",
        impact: "About 60 % of checkouts failed.", commander: "alice", services: ["payments"],
        channel: "#incident-2024-12-13-payments-api-returning-500s", startedAt: utc("2024-12-13T13:58:00Z"),
        detectedAt: utc("2024-12-13T14:02:00Z"), acknowledgedAt: acknowledgedAt, acknowledgedBy: "alice",
        mitigatedAt: mitigatedAt, resolvedAt: resolvedAt, resolvedBy: resolvedAt == nil ? nil : "bob",
        resolution: resolvedAt == nil ? nil : "Rolled back release 512",
        ackDueAt: utc("2024-12-13T14:17:00Z"),
        createdAt: utc("2024-12-13T14:02:00Z"), updatedAt: utc("2024-12-13T14:49:00Z"))
}

/// A timeline entry on incident 42 built from a factory entry at `time`.
func entry(_ id: Int64, _ new: NewTimelineEntry, at time: String) -> TimelineEntry {
    TimelineEntry(
        id: id, incidentID: 42, kind: new.kind, actor: new.actor, body: new.body, data: new.data,
        occurredAt: utc(time), createdAt: utc(time))
}
