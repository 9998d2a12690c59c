import Foundation

/// A validated `POST .../timeline` note: `{body, occurred_at}`.
public struct TimelineNote: Sendable, Hashable {
    public let body: String
    /// Back-dated time, or nil for "now". Never in the future (issue 6).
    public let occurredAt: Date?

    /// Validates a note against the clock reading `now`. `occurred_at` may lie up to
    /// ``Validator/allowedClockSkew`` (5 s) ahead of `now`, to absorb client clock drift, and
    /// is then clamped to `now` so the timeline never shows an entry from the future.
    public static func validate(body: String?, occurredAt: Date?, now: Date) throws(ValidationError)
        -> TimelineNote
    {
        var check = Validator()
        let body = check.required("body", body, maxLength: TimelineEntry.maxBodyLength, singleLine: false)
        let occurred = check.notInFuture("occurred_at", occurredAt, now: now)
        guard check.isValid, let body else { throw check.error }
        return TimelineNote(body: body, occurredAt: occurred.map { min($0, now) })
    }
}
