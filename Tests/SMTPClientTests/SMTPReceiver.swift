import Foundation
import TestSupport

/// A real SMTP server on loopback: the `aiosmtpd` command (Maildir storage, STARTTLS or
/// SMTPS) or `scripts/test-receivers/smtp_receiver.py` (refusals, AUTH) built on it.
final class SMTPReceiver {
    let process: ReceiverProcess
    let directory: String
    var maildir: String { directory + "/maildir" }
    var authLog: String { directory + "/auth.log" }
    var port: Int { process.port }

    /// `aiosmtpd -n -l 127.0.0.1:PORT [--tlscert C --tlskey K | --smtpscert C --smtpskey K]
    /// -c aiosmtpd.handlers.Mailbox DIR`, as an operator would run it.
    init(command tls: TLSMode) throws {
        directory = try Self.makeDirectory()
        let port = try ReceiverProcess.freePort()
        var arguments = ["-n", "-l", "127.0.0.1:\(port)"]
        switch tls {
        case .none: break
        case .startTLS(let certificate, let key): arguments += ["--tlscert", certificate, "--tlskey", key]
        case .implicit(let certificate, let key):
            arguments += ["--smtpscert", certificate, "--smtpskey", key]
        }
        arguments += ["-c", "aiosmtpd.handlers.Mailbox", directory + "/maildir"]
        process = try ReceiverProcess(tool: "aiosmtpd", arguments: arguments, port: port)
    }

    /// `smtp_receiver.py --mode MODE` with STARTTLS on the given certificate, and AUTH when
    /// `auth` (user:password) is given.
    init(
        mode: String, startTLS: (certificate: String, key: String), auth: String? = nil,
        mechanisms: String? = nil
    ) throws {
        directory = try Self.makeDirectory()
        var arguments = [
            ReceiverProcess.scriptsDirectory + "/smtp_receiver.py", "--mode", mode, "--maildir",
            directory + "/maildir",
            "--log", directory + "/auth.log", "--tls-cert", startTLS.certificate, "--tls-key", startTLS.key,
        ]
        if let auth { arguments += ["--auth", auth] }
        if let mechanisms { arguments += ["--auth-mechanisms", mechanisms] }
        process = try ReceiverProcess(tool: "python3", arguments: arguments)
    }

    enum TLSMode {
        case none
        case startTLS(certificate: String, key: String)
        case implicit(certificate: String, key: String)
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func makeDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "smtp-receiver-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The stored messages' files (Maildir `new/`).
    func storedMessages() throws -> [String] {
        let folder = maildir + "/new"
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
    }

    /// What Python's email package reads in a stored message.
    func summary(of file: String) throws -> MailSummary {
        let json = try ReceiverProcess.run(
            tool: "python3", arguments: [ReceiverProcess.scriptsDirectory + "/mail_summary.py", file])
        return try JSONDecoder().decode(MailSummary.self, from: Data(json.utf8))
    }

    func authLines() throws -> [String] {
        guard FileManager.default.fileExists(atPath: authLog) else { return [] }
        return try String(contentsOfFile: authLog, encoding: .utf8).split(separator: "\n").map(String.init)
    }
}

/// `scripts/test-receivers/mail_summary.py`'s output.
struct MailSummary: Decodable {
    let subject: String
    let from: String
    let to: [String]
    let message_id: String
    let in_reply_to: String
    let references: [String]
    let date: String
    let x_mailfrom: String
    let x_rcptto: String
    let content_type: String
    let charset: String?
    let defects: [String]
    let body: String
}
