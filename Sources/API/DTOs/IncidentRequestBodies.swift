import Domain
import Foundation

/// `POST /api/v1/incidents`. Every field is optional here so that validation
/// (`NewIncident.validate`) names every missing or bad field at once with 422.
struct IncidentCreateBody: Decodable {
    let title: String?
    let severity: String?
    let summary: String?
    let impact: String?
    let commander: String?
    let services: [String]?
    let alertIDs: [RefText]?
    let startedAt: Date?
    let detectedAt: Date?
    let by: String?

    enum CodingKeys: String, CodingKey {
        case title, severity, summary, impact, commander, services, by
        case alertIDs = "alert_ids"
        case startedAt = "started_at"
        case detectedAt = "detected_at"
    }
}

/// `PATCH /api/v1/incidents/{id}`: absent fields are untouched; JSON `null` clears
/// `summary`, `impact` and `commander` (read as "", which `IncidentPatch.validate` clears).
struct IncidentPatchBody: Decodable {
    let title: String?
    let severity: String?
    let summary: String?
    let impact: String?
    let commander: String?
    let by: String?
    /// `true` makes the incident public (SPEC §13); publication is not undone.
    let isPublic: Bool?

    enum CodingKeys: String, CodingKey {
        case title, severity, summary, impact, commander, by
        case isPublic = "public"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        /// The field's text; "" for an explicit null, nil when the key is absent.
        func clearable(_ key: CodingKeys) throws -> String? {
            guard container.contains(key) else { return nil }
            return try container.decodeNil(forKey: key) ? "" : container.decode(String.self, forKey: key)
        }
        title = try container.decodeIfPresent(String.self, forKey: .title)
        severity = try container.decodeIfPresent(String.self, forKey: .severity)
        summary = try clearable(.summary)
        impact = try clearable(.impact)
        commander = try clearable(.commander)
        by = try container.decodeIfPresent(String.self, forKey: .by)
        isPublic = try container.decodeIfPresent(Bool.self, forKey: .isPublic)
    }
}

/// `POST /api/v1/incidents/{id}/acknowledge` `{by, note}`; the body may be omitted.
struct IncidentAcknowledgeBody: Decodable {
    let by: String?
    let note: String?
}

/// `POST /api/v1/incidents/{id}/status` `{status, message, by}`.
struct IncidentStatusBody: Decodable {
    let status: String?
    let message: String?
    let by: String?
}

/// `POST /api/v1/incidents/{id}/resolve` `{resolution, by}`; the body may be omitted.
struct IncidentResolveBody: Decodable {
    let resolution: String?
    let by: String?
}

/// `POST /api/v1/incidents/{id}/alerts` `{alert_ids, by}`.
struct IncidentAttachBody: Decodable {
    let alertIDs: [RefText]?
    let by: String?

    enum CodingKeys: String, CodingKey {
        case by
        case alertIDs = "alert_ids"
    }
}

/// `POST /api/v1/incidents/{id}/timeline` `{body, occurred_at, kind, by}`: a note.
struct IncidentNoteBody: Decodable {
    let body: String?
    let occurredAt: Date?
    let kind: String?
    let by: String?

    enum CodingKeys: String, CodingKey {
        case body, kind, by
        case occurredAt = "occurred_at"
    }
}

/// An id in a JSON list, written as a ref or number string (`"ALR-7"`, `"7"`) or a number (`7`);
/// `EntityRef.parse` checks it.
struct RefText: Decodable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        do {
            text = try container.decode(String.self)
        } catch let error as DecodingError {
            // Not a string: accept a whole number, else report the string expected.
            guard case .typeMismatch = error, let number = try? container.decode(Int64.self) else {
                throw error
            }
            text = String(number)
        }
    }
}
