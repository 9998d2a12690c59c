import Foundation
import Repositories

/// Bodies and answers of the seed runbooks' alert API (`/alerts/trigger|acknowledge|resolve`,
/// seed 001), with the runbooks' own camelCase names.
enum AlertRunbookBodies {
    /// `{type, title, message, source}`, plus an optional `service` for API keys.
    struct Trigger: Decodable {
        let type: String?
        let title: String?
        let message: String?
        let source: String?
        let service: String?
    }

    /// `{alertId, userId, note}`.
    struct Acknowledge: Decodable {
        let alertId: FlexibleID?
        let userId: FlexibleID?
        let note: String?
    }

    /// `{alertId, userId, resolution}`.
    struct Resolve: Decodable {
        let alertId: FlexibleID?
        let userId: FlexibleID?
        let resolution: String?
    }

    /// An id a runbook may write as a string (`"ALR-42"`, `"jane"`) or a number (`42`).
    struct FlexibleID: Decodable {
        let text: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                text = String(number)
            } else {
                text = try container.decode(String.self)
            }
        }
    }

    /// Every answer: the alert's ref as `alertId` (what the next runbook step sends back), its
    /// status, and the whole alert.
    struct Answer: Encodable {
        let alertId: String
        let status: String
        let deduplicated: Bool?
        let alert: AlertDTO

        init(_ record: AlertRecord, deduplicated: Bool? = nil) {
            alertId = record.alert.ref.description
            status = record.status.rawValue
            self.deduplicated = deduplicated
            alert = AlertDTO(record)
        }
    }
}
