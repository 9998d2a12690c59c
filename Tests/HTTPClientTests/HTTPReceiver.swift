import Foundation
import TestSupport

/// `scripts/test-receivers/http_receiver.py`, plain or TLS, recording every request it gets.
final class HTTPReceiver {
    let process: ReceiverProcess
    let recordFile: String
    let host: String

    init(tls: (certificate: String, key: String)? = nil, host: String = "127.0.0.1") throws {
        recordFile = NSTemporaryDirectory() + "http-receiver-\(UUID().uuidString).jsonl"
        try Data().write(to: URL(fileURLWithPath: recordFile))
        var arguments = [
            ReceiverProcess.scriptsDirectory + "/http_receiver.py", "--record", recordFile, "--host", host,
        ]
        if let tls { arguments += ["--tls-cert", tls.certificate, "--tls-key", tls.key] }
        process = try ReceiverProcess(tool: "python3", arguments: arguments)
        self.host = host
    }

    deinit {
        process.stop()
        try? FileManager.default.removeItem(atPath: recordFile)
    }

    var port: Int { process.port }

    /// `scheme://127.0.0.1:port` + `path`.
    func url(_ path: String, scheme: String = "http") -> String {
        let authority = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(authority):\(port)\(path)"
    }

    /// The requests recorded so far, oldest first.
    func requests() throws -> [RecordedRequest] {
        let text = try String(contentsOfFile: recordFile, encoding: .utf8)
        return try text.split(separator: "\n").map {
            try JSONDecoder().decode(RecordedRequest.self, from: Data($0.utf8))
        }
    }
}

/// One request as the receiver saw it.
struct RecordedRequest: Decodable {
    let method: String
    let path: String
    let headers: [[String]]
    let body: String
    /// The client's port: requests on one kept-alive connection share it.
    let peer: Int

    func header(_ name: String) -> String? {
        headers.first { $0[0].lowercased() == name.lowercased() }?[1]
    }
}
