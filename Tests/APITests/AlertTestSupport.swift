import Foundation
import TestSupport

/// Helpers the alert API tests share: services with routing keys, JSON reading.
extension TestApp {
    /// Creates service `name` and an integration on it; returns the routing key.
    func makeRoutingKey(service name: String, kind: String = "generic") throws -> String {
        let created = try admin("POST", "/api/v1/services", json: #"{"name":"\#(name)"}"#)
        let id: Int
        if created.status == 201, let newID = created.json["id"] as? Int {
            id = newID
        } else {
            let existing = try admin("GET", "/api/v1/services/\(name)")
            guard let existingID = existing.json["id"] as? Int else {
                throw AlertTestError.setup(existing.bodyText)
            }
            id = existingID
        }
        let integration = try admin(
            "POST", "/api/v1/services/\(id)/integrations", json: #"{"name":"\#(kind)","kind":"\#(kind)"}"#)
        guard let key = integration.json["routing_key"] as? String else {
            throw AlertTestError.setup(integration.bodyText)
        }
        return key
    }

    /// `GET /api/v1/alerts/{id}` as admin, parsed.
    func alert(_ id: Any) throws -> [String: Any] {
        try admin("GET", "/api/v1/alerts/\(id)").json
    }

    /// Every alert matching the query (one page of up to 500), parsed.
    func alerts(_ query: String = "") throws -> [[String: Any]] {
        let response = try admin("GET", "/api/v1/alerts?limit=500\(query.isEmpty ? "" : "&" + query)")
        return response.json["items"] as? [[String: Any]] ?? []
    }

    /// The alert's timeline entries, parsed.
    func alertTimeline(_ id: Any) throws -> [[String: Any]] {
        try admin("GET", "/api/v1/alerts/\(id)/timeline?limit=500").json["items"] as? [[String: Any]] ?? []
    }
}

extension RawHTTPResponse {
    /// The `field` names of a problem+json `errors` list.
    var errorFields: [String] {
        (json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// A setup step of an alert test failed; the text is the server's answer.
enum AlertTestError: Error {
    case setup(String)
}

/// Runs the compatibility scripts in `scripts/compat/` (issue 5: real senders' clients).
enum CompatScript {
    /// The scripts' exit code for "the client could not be installed": the test is skipped.
    static let skipExitCode: Int32 = 77

    /// Runs `scripts/compat/<name>` with `arguments`; returns its exit code and its output
    /// (stdout and stderr together). Stops it after `timeout` seconds.
    static func run(_ name: String, _ arguments: [String], timeout: TimeInterval = 180) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestDatabase.repositoryRoot + "/scripts/compat/" + name)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let collected = OutputBuffer()
        output.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            collected.append(Data("\n[timed out after \(Int(timeout)) s]\n".utf8))
        }
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        collected.append(output.fileHandleForReading.readDataToEndOfFile())
        return (process.terminationStatus, collected.text)
    }

    /// Output gathered from a child process's pipe on another thread.
    final class OutputBuffer: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }
}
