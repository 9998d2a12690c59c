import Foundation

/// A validated `POST /api/v1/maintenance-windows` (SPEC §12): a one-off window `{description,
/// services, public, starts_at, ends_at}` or a recurring one `{description, services, public,
/// rrule, time_zone, duration_seconds}` (with an optional `starts_at`, the rule's DTSTART).
public struct NewMaintenanceWindow: Sendable, Hashable {
    public let description: String
    /// The services as the client named them (names or ids, SPEC §14); empty: every service.
    /// The caller resolves them.
    public let services: [String]
    /// Whether the status page shows it (SPEC §13).
    public let isPublic: Bool
    public let timing: MaintenanceTiming
    /// When the window begins to exist: a one-off window's start, a recurring window's DTSTART
    /// as an instant.
    public let startsAt: Date

    public static let maxDescriptionLength = 2000  // 422 beyond
    public static let maxServices = 100  // 422 beyond
    /// Longest window or occurrence: 31 days. Longer than that is not maintenance but a service
    /// switched off, which deserves a decision of its own rather than a forgotten window.
    public static let maxDurationSeconds: Int64 = 31 * 86_400  // 422 beyond

    /// Checks every field at once against `now`. A recurring window's DTSTART is `startsAt`
    /// (default `now`) on the zone's wall clock, rounded up to the whole minute: the subset has no
    /// `BYSECOND`, so RFC 5545 would give every occurrence DTSTART's seconds.
    public static func validate(
        description: String?, services: [String]?, isPublic: Bool?, startsAt: Date?, endsAt: Date?,
        rrule: String?, timeZone: String?, durationSeconds: Int64?, now: Date
    ) throws(ValidationError) -> NewMaintenanceWindow {
        var check = Validator()
        let text = check.required(
            "description", description, maxLength: maxDescriptionLength, singleLine: false)
        let services = checkServices(services ?? [], into: &check)
        let timing: MaintenanceTiming?
        if let rrule {
            timing = recurring(
                rrule: rrule, timeZone: timeZone, durationSeconds: durationSeconds, startsAt: startsAt,
                endsAt: endsAt, now: now, into: &check)
        } else {
            timing = once(
                startsAt: startsAt, endsAt: endsAt, timeZone: timeZone, durationSeconds: durationSeconds,
                now: now,
                into: &check)
        }
        guard check.isValid, let text, let timing else { throw check.error }
        let begins: Date
        switch timing {
        case .once(let period): begins = period.start
        case .recurring(let recurrence): begins = recurrence.zone.instant(of: recurrence.start)
        }
        return NewMaintenanceWindow(
            description: text, services: services, isPublic: isPublic ?? false, timing: timing,
            startsAt: begins)
    }

    /// Names or ids, none blank, each once.
    private static func checkServices(_ references: [String], into check: inout Validator) -> [String] {
        if references.count > maxServices {
            check.add("services", "must name at most \(maxServices) services")
        }
        var seen: Set<String> = []
        var result: [String] = []
        for (index, reference) in references.prefix(maxServices).enumerated() {
            guard let name = Validator.trimmed(reference) else {
                check.add("services[\(index)]", "must be a service name or id")
                continue
            }
            if seen.insert(name).inserted { result.append(name) }
        }
        return result
    }

    private static func once(
        startsAt: Date?, endsAt: Date?, timeZone: String?, durationSeconds: Int64?, now: Date,
        into check: inout Validator
    ) -> MaintenanceTiming? {
        let recurringOnly =
            "is only for a recurring window (with rrule); a one-off window has starts_at and ends_at"
        if timeZone != nil { check.add("time_zone", recurringOnly) }
        if durationSeconds != nil { check.add("duration_seconds", recurringOnly) }
        guard let startsAt else {
            check.add(
                "starts_at",
                "is required (or give rrule, time_zone and duration_seconds for a recurring window)")
            return nil
        }
        guard let endsAt else {
            check.add("ends_at", "is required for a one-off window")
            return nil
        }
        guard check.check(endsAt > startsAt, "ends_at", "must be after starts_at") else { return nil }
        guard check.check(endsAt > now, "ends_at", "must be in the future") else { return nil }
        guard
            check.check(
                endsAt.timeIntervalSince(startsAt) <= Double(maxDurationSeconds), "ends_at",
                "must be at most \(maxDurationSeconds / 86_400) days after starts_at")
        else { return nil }
        return .once(MaintenancePeriod(start: startsAt, end: endsAt))
    }

    private static func recurring(
        rrule: String, timeZone: String?, durationSeconds: Int64?, startsAt: Date?, endsAt: Date?, now: Date,
        into check: inout Validator
    ) -> MaintenanceTiming? {
        if endsAt != nil {
            check.add(
                "ends_at", "is only for a one-off window; a recurring window lasts until it is cancelled")
        }
        var rule: RecurrenceRule?
        switch RecurrenceRule.parse(rrule) {
        case .success(let parsed): rule = parsed
        case .failure(let error): check.add("rrule", error.message)
        }
        let zone = ScheduleDefinition.checkZone("time_zone", timeZone, into: &check)
        var duration: Int64?
        if let durationSeconds {
            if check.check(durationSeconds > 0, "duration_seconds", "must be a positive number of seconds"),
                check.check(
                    durationSeconds <= maxDurationSeconds, "duration_seconds",
                    "must be at most \(maxDurationSeconds) (\(maxDurationSeconds / 86_400) days)")
            {
                duration = durationSeconds
            }
        } else {
            check.add("duration_seconds", "is required for a recurring window")
        }
        guard let rule, let zone, let duration else { return nil }
        let first = zone.local(at: startsAt ?? now)
        let start = first.adding(seconds: floorModulo(60 - Int64(first.secondOfDay % 60), 60))
        let recurrence = Recurrence(rule: rule, zone: zone, start: start, durationSeconds: duration)
        guard let gap = recurrence.shortestWallGap else {
            check.add("rrule", "never occurs (INTERVAL skips every BYDAY day)")
            return nil
        }
        guard
            check.check(
                duration < gap, "duration_seconds",
                "must be shorter than the time between two occurrences of the rule (\(gap) s)")
        else { return nil }
        return .recurring(recurrence)
    }
}
