import Domain
import Foundation

/// The JSON of an event (SPEC §8, §14): what `GET /api/v1/events` lists and what a webhook's
/// body is. `{id, type, occurred_at, actor, subject: {kind, id, ref}, service, severity, data}`,
/// `id` an integer, `service` the service name or null, `severity` the incident's SEV or the
/// alert's severity or null. Keys are sorted, so the same event is always the same bytes (a
/// retried delivery signs the same body).
public enum EventJSON {
    /// The event as a JSON object.
    public static func document(_ event: Event) -> JSONValue {
        .object([
            "id": .integer(event.id),
            "type": .string(event.type),
            "occurred_at": .string(timestamp(event.occurredAt)),
            "actor": .string(event.actor),
            "subject": .object([
                "kind": .string(event.subject.kind),
                "id": event.subject.id.map(JSONValue.integer) ?? .null,
                "ref": event.subject.ref.map(JSONValue.string) ?? .null,
            ]),
            "service": event.service.map(JSONValue.string) ?? .null,
            "severity": event.severity.map(JSONValue.string) ?? .null,
            "data": .object(event.data),
        ])
    }

    /// The event's JSON bytes (UTF-8, sorted keys, slashes unescaped).
    public static func encode(_ event: Event) throws -> [UInt8] {
        Array(try encoder().encode(document(event)))
    }

    /// The encoder for event documents.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// `2026-11-22T14:30:02.123456Z`: RFC 3339 UTC with microseconds, as the API writes every
    /// timestamp (SPEC §4; the API's `RFC3339.format`, which a test holds this to).
    public static func timestamp(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = time_t((totalMicros / 1_000_000).rounded(.down))
        let micros = Int(totalMicros - Double(seconds) * 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }
}
