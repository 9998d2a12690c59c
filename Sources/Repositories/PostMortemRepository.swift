import Domain
import Foundation
import Postgres

/// SQL for `postmortems` (issue 7, SPEC §3). Runs inside the caller's transaction (ADR 0002).
///
/// - Create and read: ``create(incidentID:force:actor:policy:now:)``, ``find(incidentID:policy:)``.
/// - Edit and status flow: ``update(incidentID:patch:isAdmin:actor:policy:now:)``
///   (`PostMortemRepository+Edit.swift`).
/// - Lists: ``list(_:policy:now:limit:cursor:)`` (`PostMortemRepository+List.swift`).
///
/// The due date is never stored: it is derived on every read from the incident's current
/// severity and resolution time with the configured ``SLAPolicy`` (SPEC §3: 48 h after
/// resolution for SEV1/SEV2), so a later resolution or severity change moves it.
public struct PostMortemRepository {
    let connection: PostgresConnection

    public init(_ connection: PostgresConnection) { self.connection = connection }

    /// Creates the draft for incident `incidentID`, pre-filled from the incident and its
    /// timeline (``PostMortem/draft(for:timeline:policy:)``), with a `postmortem_created` entry
    /// on the incident's timeline.
    ///
    /// The incident row is locked first, so two concurrent creates for one incident run one
    /// after the other and the second sees the first. Throws `.notFound` for no incident,
    /// `.conflict` when the incident already has a post-mortem (issue 7: one per incident) or is
    /// not resolved and `force` is false.
    public func create(incidentID: Int64, force: Bool, actor: String, policy: SLAPolicy, now: Date) throws
        -> PostMortemRecord
    {
        let incident = try IncidentRepository(connection).lock(id: incidentID)
        if try connection.query("SELECT 1 FROM postmortems WHERE incident_id = \(incidentID)").count > 0 {
            throw DomainError.conflict("\(incident.ref) already has a post-mortem; edit it with PATCH.")
        }
        guard incident.status == .resolved || force else {
            throw DomainError.conflict(
                "\(incident.ref) is not resolved yet; resolve it first or send \"force\": true.")
        }
        let draft = PostMortem.draft(
            for: incident, timeline: try keyMomentEntries(incidentID: incidentID), policy: policy)
        let moments = draft.keyMoments
        try connection.execute(
            """
            INSERT INTO postmortems (incident_id, incident_date, duration_minutes, severity, summary, impact,
                                     detection_at, response_initiated_at, root_cause_identified_at,
                                     mitigation_applied_at, resolution_confirmed_at, created_at, updated_at)
            VALUES (\(incidentID), \(draft.date.description)::date, \(draft.durationMinutes),
                    \(draft.severity.rawValue), \(draft.summary), \(draft.impact), \(moments.detection),
                    \(moments.responseInitiated), \(moments.rootCauseIdentified), \(moments.mitigationApplied),
                    \(moments.resolutionConfirmed), \(now), \(now))
            """)
        try recordOnIncident(
            NewTimelineEntry(kind: .postmortemCreated, actor: actor, body: "Post-mortem draft created"),
            incidentID: incidentID, now: now)
        guard let created = try find(incidentID: incidentID, policy: policy) else {
            // Inserted above in this transaction.
            throw PostgresError(.protocolViolation, message: "the new post-mortem vanished")
        }
        return created
    }

    /// The post-mortem of incident `incidentID` with its action items, or nil.
    public func find(incidentID: Int64, policy: SLAPolicy) throws -> PostMortemRecord? {
        let rows = try connection.query(Self.select(policy: policy) + " WHERE p.incident_id = \(incidentID)")
        guard let row = rows.first else { return nil }
        let record = try Self.record(row)
        return try withActionItems([record]).first
    }

    /// The post-mortem of incident `incidentID`, locked until the transaction ends; throws
    /// `.notFound` (naming the incident) when there is none.
    func lock(incidentID: Int64, policy: SLAPolicy) throws -> PostMortemRecord {
        let rows = try connection.query(
            Self.select(policy: policy) + " WHERE p.incident_id = \(incidentID) FOR UPDATE OF p")
        guard let row = rows.first else {
            throw DomainError.notFound(.postMortem, "for \(EntityRef.incident(incidentID))")
        }
        return try Self.record(row)
    }

    /// Appends `entry` to incident `incidentID`'s timeline and moves the incident's
    /// `updated_at`, so dashboards polling with `since=` see the post-mortem's progress.
    func recordOnIncident(_ entry: NewTimelineEntry, incidentID: Int64, now: Date) throws {
        try connection.execute("UPDATE incidents SET updated_at = \(now) WHERE id = \(incidentID)")
        try TimelineRepository(connection).append(entry, to: .incident(incidentID), now: now)
    }

    /// The incident's timeline entries that key moments are derived from: its own and its
    /// alerts' acknowledgements, status changes and resolutions (``KeyMoments/derive(incident:timeline:)``).
    func keyMomentEntries(incidentID: Int64) throws -> [TimelineEntry] {
        let kinds: [String] = [
            TimelineEntryKind.acknowledged, .alertAcknowledged, .statusChanged, .resolved,
        ].map(\.rawValue)
        return try connection.query(
            """
            SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
            WHERE incident_id = \(incidentID) AND kind = ANY(\(kinds))
            UNION ALL
            SELECT \(sql: TimelineRepository.columns) FROM timeline_entries
            WHERE incident_id IS NULL AND kind = ANY(\(kinds))
              AND alert_id IN (SELECT a.id FROM alerts a WHERE a.incident_id = \(incidentID))
            """
        ).map(TimelineRepository.entry)
    }

    /// `records` with their action items, read in one query.
    func withActionItems(_ records: [PostMortemRecord]) throws -> [PostMortemRecord] {
        guard !records.isEmpty else { return records }
        let items = try ActionItemRepository(connection).items(postMortemIDs: records.map(\.postMortem.id))
        return records.map { record in
            var postMortem = record.postMortem
            postMortem.actionItems = items[postMortem.id] ?? []
            return PostMortemRecord(postMortem: postMortem, incidentTitle: record.incidentTitle)
        }
    }
}
