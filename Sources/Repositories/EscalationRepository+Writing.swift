import Domain
import Foundation
import Postgres

extension EscalationRepository {
    /// Writes what a pass decided, set-wise (a few statements for the whole batch): the events
    /// (with their channel fan-out), the timeline entries, the pages, and each escalation's new
    /// position and due time.
    func write(
        _ steps: [FiredStep], exhausting: [(claimed: Claimed, incident: Incident)], now: Date
    ) throws {
        var events: [NewEvent] = []
        var entries: [(entry: NewTimelineEntry, subject: TimelineSubject)] = []
        for step in steps {
            // The entry carries the same facts as the event; build them once.
            let data = step.report.data
            events.append(
                .incident(.incidentEscalated, step.incident, actor: TimelineEntry.systemActor, extra: data))
            entries.append(
                (
                    NewTimelineEntry(kind: .escalated, body: step.report.timelineBody, data: data),
                    .incident(step.incident.id)
                ))
        }
        for item in exhausting {
            let data = EscalationStepReport.exhaustedData(
                policyName: item.claimed.policyName, plan: item.claimed.plan)
            events.append(
                .incident(.incidentEscalated, item.incident, actor: TimelineEntry.systemActor, extra: data))
            entries.append(
                (
                    EscalationStepReport.exhaustedEntry(
                        policyName: item.claimed.policyName, plan: item.claimed.plan),
                    .incident(item.incident.id)
                ))
        }
        let eventIDs = try EventRepository(connection).append(events, now: now)
        try TimelineRepository(connection).appendAll(entries, now: now)
        try insertPages(steps, eventIDs: eventIDs)
        try advance(steps, exhausting: exhausting.map(\.claimed), now: now)
    }

    /// One delivery per person × contact method (the unique key guards each), and one per
    /// channel target: the channel's delivery of the event from the fan-out when it has one
    /// (marked as a page), else a new one.
    private func insertPages(_ steps: [FiredStep], eventIDs: [Int64]) throws {
        var events: [Int64] = [], methods: [Int64] = [], users: [Int64] = []
        var incidents: [Int64] = [], stepNumbers: [Int32] = [], loops: [Int32] = []
        var channelEvents: [Int64] = [], channelIDs: [Int64] = [], channelIncidents: [Int64] = []
        var channelSteps: [Int32] = [], channelLoops: [Int32] = []
        for (index, step) in steps.enumerated() {
            for person in step.people {
                for method in person.methods {
                    events.append(eventIDs[index])
                    methods.append(method.id)
                    users.append(person.id)
                    incidents.append(step.incident.id)
                    stepNumbers.append(Int32(step.position.step))
                    loops.append(Int32(step.position.loop))
                }
            }
            for channel in step.channels {
                channelEvents.append(eventIDs[index])
                channelIDs.append(channel.id)
                channelIncidents.append(step.incident.id)
                channelSteps.append(Int32(step.position.step))
                channelLoops.append(Int32(step.position.loop))
            }
        }
        if !events.isEmpty {
            try connection.execute(
                """
                INSERT INTO deliveries (event_id, contact_method_id, page_user_id, page_incident_id, page_step, page_loop)
                SELECT * FROM unnest(\(events)::int8[], \(methods)::int8[], \(users)::int8[], \(incidents)::int8[],
                                     \(stepNumbers)::int4[], \(loops)::int4[])
                """)
        }
        guard !channelEvents.isEmpty else { return }
        try connection.execute(
            """
            WITH pages AS (
                SELECT * FROM unnest(\(channelEvents)::int8[], \(channelIDs)::int8[], \(channelIncidents)::int8[],
                                     \(channelSteps)::int4[], \(channelLoops)::int4[])
                         AS p(event_id, channel_id, incident_id, step, loop)
            ), marked AS (
                UPDATE deliveries d SET page_incident_id = p.incident_id, page_step = p.step, page_loop = p.loop
                FROM pages p WHERE d.event_id = p.event_id AND d.channel_id = p.channel_id
                RETURNING d.event_id, d.channel_id
            )
            INSERT INTO deliveries (event_id, channel_id, page_incident_id, page_step, page_loop)
            SELECT p.event_id, p.channel_id, p.incident_id, p.step, p.loop FROM pages p
            WHERE NOT EXISTS (SELECT 1 FROM marked m WHERE m.event_id = p.event_id AND m.channel_id = p.channel_id)
            """)
    }

    /// Moves each fired escalation to its step and the next due time, and marks the exhausted.
    private func advance(_ steps: [FiredStep], exhausting: [Claimed], now: Date) throws {
        var ids: [Int64] = [], states: [String] = [], stepNumbers: [Int32] = [], loops: [Int32] = []
        // Microseconds since 1970: arrays of binds take no dates.
        var due: [Int64] = []
        for step in steps {
            ids.append(step.incident.id)
            states.append(EscalationState.active.rawValue)
            stepNumbers.append(Int32(step.position.step))
            loops.append(Int32(step.position.loop))
            let next = step.claimed.plan.nextDue(
                afterFiring: step.position, pagedAnyone: !step.report.reachedNobody, at: now)
            due.append(Int64((next.timeIntervalSince1970 * 1_000_000).rounded()))
        }
        for claimed in exhausting {
            ids.append(claimed.incidentID)
            states.append(EscalationState.exhausted.rawValue)
            stepNumbers.append(Int32(claimed.position.step))
            loops.append(Int32(claimed.position.loop))
            due.append(0)
        }
        guard !ids.isEmpty else { return }
        try connection.execute(
            """
            UPDATE incident_escalations e SET
                state = u.state, step = u.step, loop = u.loop,
                next_step_at = CASE WHEN u.state = 'active' THEN to_timestamp(u.due::float8 / 1000000) END,
                stopped_at = CASE WHEN u.state = 'exhausted' THEN \(now) END,
                stop_reason = CASE WHEN u.state = 'exhausted' THEN 'nobody acknowledged' END,
                updated_at = \(now)
            FROM unnest(\(ids)::int8[], \(states)::text[], \(stepNumbers)::int4[], \(loops)::int4[],
                        \(due)::int8[]) AS u(incident_id, state, step, loop, due)
            WHERE e.incident_id = u.incident_id
            """)
    }
}
