import Foundation
import TestSupport

/// `scripts/test-receivers/http_receiver.py` as the pager: contact methods' webhook URLs point
/// at it (`/ok?to=<name>`), and it records every page with the time it was read.
final class PageReceiver {
    let process: ReceiverProcess
    let recordFile: String

    init() throws {
        recordFile = NSTemporaryDirectory() + "page-receiver-\(UUID().uuidString).jsonl"
        try Data().write(to: URL(fileURLWithPath: recordFile))
        process = try ReceiverProcess(
            tool: "python3",
            arguments: [ReceiverProcess.scriptsDirectory + "/http_receiver.py", "--record", recordFile])
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: recordFile)
    }

    /// The URL a person's webhook contact method pages.
    func url(for name: String) -> String { "http://127.0.0.1:\(process.port)/ok?to=\(name)" }

    /// The pages received so far, oldest first.
    func pages() throws -> [ReceivedPage] {
        let text = try String(contentsOfFile: recordFile, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONDecoder().decode(ReceivedPage.self, from: Data($0.utf8))
        }
    }
}

/// One page as the receiver read it: who it was for, its delivery (`webhook-id`) and event.
struct ReceivedPage: Decodable {
    let path: String
    let headers: [[String]]
    let body: String
    let receivedAt: Double

    enum CodingKeys: String, CodingKey {
        case path, headers, body
        case receivedAt = "received_at"
    }

    /// `to=` of the URL: whose contact method it was.
    var recipient: String { path.components(separatedBy: "to=").last ?? "" }

    var deliveryID: Int64? {
        headers.first { $0[0].lowercased() == "webhook-id" }.flatMap { Int64($0[1]) }
    }

    /// The event's `data`.
    var data: [String: Any] {
        let event = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        return event?["data"] as? [String: Any] ?? [:]
    }

    var step: Int? { data["step"] as? Int }
    var loop: Int? { data["loop"] as? Int }
    var incident: String? {
        let event = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        return (event?["subject"] as? [String: Any])?["ref"] as? String
    }

    /// When the step was due (the event's `data.due_at`).
    var dueAt: Date? {
        (data["due_at"] as? String).flatMap {
            try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse($0)
        }
    }

    var lateness: TimeInterval? { dueAt.map { receivedAt - $0.timeIntervalSince1970 } }
}
