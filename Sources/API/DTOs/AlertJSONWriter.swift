import Domain
import Foundation
import Log
import Repositories

/// Writes a trigger's answer (`POST /api/v1/alerts`) straight into bytes.
///
/// Why not `JSONEncoder` with ``AlertDTO``: on the ingest path it cost ~8 % of incidentd's CPU
/// per request (docs/PERFORMANCE.md "Alert ingest"), and the `details` / `links` it encoded had
/// just been decoded from the jsonb PostgreSQL returned. Here those two members are PostgreSQL's
/// own jsonb text copied through (valid JSON by construction; jsonb's spacing and key order), and
/// every other member is written as ``AlertDTO`` writes it, keys in sorted order like
/// `APIJSON.encoder()`. `AlertJSONWriterTests` checks that both decode to the same JSON value.
/// ``AlertDTO`` stays the definition of the shape.
enum AlertJSONWriter {
    /// The body for `record`, or nil when the record does not carry its stored JSON text (then
    /// the caller encodes ``AlertDTO``).
    static func bytes(_ record: AlertRecord, deduplicated: Bool?) -> [UInt8]? {
        guard let stored = record.storedJSON else { return nil }
        let alert = record.alert
        var out: [UInt8] = []
        out.reserveCapacity(
            640 + alert.summary.utf8.count + stored.details.utf8.count + stored.links.utf8.count)
        key("{", "acknowledged_at", &out)
        appendDate(alert.acknowledgedAt, to: &out)
        key(",", "acknowledged_by", &out)
        appendString(alert.acknowledgedBy, to: &out)
        key(",", "dedup_key", &out)
        JSONBytes.appendString(alert.dedupKey, to: &out)
        if let deduplicated {
            key(",", "deduplicated", &out)
            out.append(contentsOf: (deduplicated ? "true" : "false").utf8)
        }
        key(",", "details", &out)
        out.append(contentsOf: stored.details.utf8)
        key(",", "event_count", &out)
        out.append(contentsOf: String(alert.eventCount).utf8)
        key(",", "first_seen_at", &out)
        appendDate(alert.firstSeenAt, to: &out)
        key(",", "id", &out)
        out.append(contentsOf: String(alert.id).utf8)
        key(",", "incident", &out)
        appendString(alert.incidentID.map { EntityRef.incident($0).description }, to: &out)
        key(",", "incident_id", &out)
        if let incidentID = alert.incidentID {
            out.append(contentsOf: String(incidentID).utf8)
        } else {
            out.append(contentsOf: "null".utf8)
        }
        key(",", "last_seen_at", &out)
        appendDate(alert.lastSeenAt, to: &out)
        key(",", "links", &out)
        out.append(contentsOf: stored.links.utf8)
        key(",", "ref", &out)
        JSONBytes.appendString(alert.ref.description, to: &out)
        key(",", "resolution", &out)
        appendString(alert.resolution, to: &out)
        key(",", "resolved_at", &out)
        appendDate(alert.resolvedAt, to: &out)
        key(",", "resolved_by", &out)
        appendString(alert.resolvedBy, to: &out)
        key(",", "service", &out)
        JSONBytes.appendString(alert.service, to: &out)
        key(",", "service_id", &out)
        out.append(contentsOf: String(record.serviceID).utf8)
        key(",", "severity", &out)
        JSONBytes.appendString(alert.severity.rawValue, to: &out)
        key(",", "source", &out)
        JSONBytes.appendString(alert.source, to: &out)
        key(",", "status", &out)
        JSONBytes.appendString(alert.status.rawValue, to: &out)
        key(",", "summary", &out)
        JSONBytes.appendString(alert.summary, to: &out)
        key(",", "updated_at", &out)
        appendDate(alert.updatedAt, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// `{"name":` or `,"name":`; names here are plain ASCII and need no escaping.
    private static func key(_ separator: StaticString, _ name: StaticString, _ out: inout [UInt8]) {
        separator.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { out.append(contentsOf: $0) }
        out.append(contentsOf: "\":".utf8)
    }

    /// A JSON string, or `null` (absent values are explicit nulls, as in ``AlertDTO``).
    private static func appendString(_ text: String?, to out: inout [UInt8]) {
        guard let text else {
            out.append(contentsOf: "null".utf8)
            return
        }
        JSONBytes.appendString(text, to: &out)
    }

    /// An RFC 3339 timestamp as `APIJSON.encoder()` writes dates, or `null`.
    private static func appendDate(_ date: Date?, to out: inout [UInt8]) {
        appendString(date.map(RFC3339.format), to: &out)
    }
}
