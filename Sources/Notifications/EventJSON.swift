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

    /// The event's JSON bytes (UTF-8, sorted keys, slashes unescaped): what ``encoder()`` writes,
    /// by ``CompactJSON``.
    public static func encode(_ event: Event) throws -> [UInt8] {
        CompactJSON.bytes(document(event))
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
        // Digits by hand: String(format:) cost more than the rest of the event's JSON.
        var text = ""
        text.reserveCapacity(27)
        func digits(_ value: Int, _ width: Int) {
            let number = String(value)
            text += String(repeating: "0", count: max(0, width - number.count)) + number
        }
        digits(Int(parts.tm_year) + 1900, 4)
        text += "-"
        digits(Int(parts.tm_mon) + 1, 2)
        text += "-"
        digits(Int(parts.tm_mday), 2)
        text += "T"
        digits(Int(parts.tm_hour), 2)
        text += ":"
        digits(Int(parts.tm_min), 2)
        text += ":"
        digits(Int(parts.tm_sec), 2)
        text += "."
        digits(micros, 6)
        return text + "Z"
    }
}
