import Foundation
import TestSupport

/// `scripts/test-receivers/notification_receiver.py`: a webhook receiver on loopback that
/// verifies Standard Webhooks signatures with the PyPI `standardwebhooks` library, answers as
/// its control file says (scripted statuses, a Slack-style `ok`, forwarding to Debian's
/// `webhook`) and records every request it got.
final class WebhookReceiver: @unchecked Sendable {
    let process: ReceiverProcess
    let directory: String
    var recordFile: String { directory + "/requests.jsonl" }
    var controlFile: String { directory + "/control.json" }
    var port: Int { process.port }

    init(control: [String: Any] = [:]) throws {
        directory = try makeTemporaryDirectory("notification-receiver")
        try Data().write(to: URL(fileURLWithPath: directory + "/requests.jsonl"))
        try Self.write(control, to: directory + "/control.json")
        process = try ReceiverProcess(
            tool: "python3",
            arguments: [
                ReceiverProcess.scriptsDirectory + "/notification_receiver.py", "--record",
                directory + "/requests.jsonl", "--control", directory + "/control.json",
            ])
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `http://127.0.0.1:port` + `path`.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Replaces the control file; the next request reads it.
    func control(_ control: [String: Any]) throws { try Self.write(control, to: controlFile) }

    /// The requests recorded so far, oldest first.
    func requests(path: String? = nil) throws -> [ReceivedWebhook] {
        let text = try String(contentsOfFile: recordFile, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONDecoder().decode(ReceivedWebhook.self, from: Data($0.utf8))
        }.filter { path == nil || $0.path == path }
    }

    private static func write(_ control: [String: Any], to file: String) throws {
        let data = try JSONSerialization.data(withJSONObject: control)
        // Written whole, then renamed: the receiver never reads half a file.
        try data.write(to: URL(fileURLWithPath: file), options: .atomic)
    }
}

/// One request as ``WebhookReceiver`` saw and answered it.
struct ReceivedWebhook: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body: String
    /// `verified`, `failed: ...`, or nil when the receiver had no secret.
    let standardWebhooks: String?
    /// The status Debian's `webhook` answered to the forwarded copy, if it was forwarded.
    let forwardedStatus: Int?
    let status: Int

    enum CodingKeys: String, CodingKey {
        case method, path, headers, body, status
        case standardWebhooks = "standard_webhooks"
        case forwardedStatus = "forwarded_status"
    }

    func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }

    /// The body parsed as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }
}

/// Debian's `webhook` (adnanh) with one hook, `incidentd`, whose trigger rule is a
/// `payload-hmac-sha256` match of `X-Incidentd-Signature` against the channel's secret; a
/// request that passes runs `webhook_record.sh`, which appends its `webhook-id` to a log. A
/// bad signature is answered 500 (that is how `webhook` answers it).
final class AdnanhWebhook: @unchecked Sendable {
    let process: ReceiverProcess
    let directory: String
    let port: Int

    init(secret: String) throws {
        directory = try makeTemporaryDirectory("adnanh-webhook")
        let hooks: [[String: Any]] = [
            [
                "id": "incidentd",
                "execute-command": ReceiverProcess.scriptsDirectory + "/webhook_record.sh",
                "include-command-output-in-response": true,
                "pass-arguments-to-command": [
                    ["source": "string", "name": directory + "/verified.log"],
                    ["source": "header", "name": "webhook-id"],
                ],
                "trigger-rule": [
                    "match": [
                        "type": "payload-hmac-sha256", "secret": secret,
                        "parameter": ["source": "header", "name": "X-Incidentd-Signature"],
                    ]
                ],
            ]
        ]
        // `webhook` reads its hooks file as YAML, which has no `\/` escape.
        try JSONSerialization.data(withJSONObject: hooks, options: .withoutEscapingSlashes).write(
            to: URL(fileURLWithPath: directory + "/hooks.json"))
        port = try ReceiverProcess.freePort()
        process = try ReceiverProcess(
            tool: "webhook",
            arguments: ["-hooks", directory + "/hooks.json", "-ip", "127.0.0.1", "-port", String(port)],
            port: port)
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/incidentd" }

    /// The `webhook-id`s of the requests whose signature `webhook` accepted, in order.
    func verifiedIDs() throws -> [String] {
        let file = directory + "/verified.log"
        guard FileManager.default.fileExists(atPath: file) else { return [] }
        return try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

/// A real SMTP server on loopback with STARTTLS on the test CA's certificate: the `aiosmtpd`
/// command storing every mail in a Maildir, or `smtp_receiver.py --mode refuse-rcpt`, which
/// answers 550 to recipients starting with `unknown` and 451 to those starting with `busy`.
final class MailInbox: @unchecked Sendable {
    let process: ReceiverProcess
    let directory: String
    var port: Int { process.port }

    init(refusing: Bool = false) throws {
        let certificates = try TestCertificates.shared()
        directory = try makeTemporaryDirectory("mail-inbox")
        if refusing {
            process = try ReceiverProcess(
                tool: "python3",
                arguments: [
                    ReceiverProcess.scriptsDirectory + "/smtp_receiver.py", "--mode", "refuse-rcpt",
                    "--maildir", directory + "/maildir", "--tls-cert", certificates.serverCertificate,
                    "--tls-key", certificates.serverKey,
                ])
        } else {
            let port = try ReceiverProcess.freePort()
            process = try ReceiverProcess(
                tool: "aiosmtpd",
                arguments: [
                    "-n", "-l", "127.0.0.1:\(port)", "--tlscert", certificates.serverCertificate, "--tlskey",
                    certificates.serverKey, "-c", "aiosmtpd.handlers.Mailbox", directory + "/maildir",
                ], port: port)
        }
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// `INCIDENTD_SMTP_URL` for this server: STARTTLS required.
    var smtpURL: String { "smtp://127.0.0.1:\(port)?starttls=required" }

    /// The stored mails as Python's email package reads them, in the order they arrived.
    func mails() throws -> [StoredMail] {
        let folder = directory + "/maildir/new"
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).map { folder + "/" + $0 }
        let stored = try files.map { file -> (Date, StoredMail) in
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let json = try ReceiverProcess.run(
                tool: "python3", arguments: [ReceiverProcess.scriptsDirectory + "/mail_summary.py", file])
            return (
                attributes[.modificationDate] as? Date ?? .distantPast,
                try JSONDecoder().decode(StoredMail.self, from: Data(json.utf8))
            )
        }
        return stored.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A mail as `mail_summary.py` reads it.
struct StoredMail: Decodable {
    let subject: String
    let from: String
    let to: [String]
    let messageID: String
    let inReplyTo: String
    let references: [String]
    let body: String

    enum CodingKeys: String, CodingKey {
        case subject, from, to, references, body
        case messageID = "message_id"
        case inReplyTo = "in_reply_to"
    }
}

/// A new folder under the temporary directory.
func makeTemporaryDirectory(_ prefix: String) throws -> String {
    let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `body` until it returns true or `seconds` pass; whether it did.
func eventually(_ seconds: TimeInterval = 20, _ body: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try body() { return true }
        Thread.sleep(forTimeInterval: 0.05)
    }
    return try body()
}
