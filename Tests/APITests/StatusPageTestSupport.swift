import Foundation
import TestSupport

/// A clock status page tests move by hand, shared by the server and the update-due job.
final class StatusClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }
}

extension TestApp {
    /// Creates a status component as admin; returns its id.
    func makeComponent(_ json: String) throws -> Int {
        let response = try admin("POST", "/api/v1/status/components", json: json)
        guard response.status == 201, let id = response.json["id"] as? Int else {
            throw IncidentTestError.setup(response.bodyText)
        }
        return id
    }

    /// The component's derived status now.
    func componentStatus(_ id: Int) throws -> String? {
        try admin("GET", "/api/v1/status/components/\(id)").json["status"] as? String
    }

    /// `GET path` with no credentials.
    func anonymous(_ path: String, headers: [(String, String)] = []) throws -> RawHTTPResponse {
        try request("GET", path, key: nil, headers: headers)
    }
}

/// Every public route of the status page (SPEC §13).
let publicStatusRoutes = [
    "/status", "/status/api/v2/summary.json", "/status/api/v2/status.json", "/status/api/v2/components.json",
    "/status/api/v2/incidents/unresolved.json", "/status/api/v2/scheduled-maintenances/upcoming.json",
    "/status/api/v2/scheduled-maintenances/active.json",
]

/// Where a test keeps files for people to look at (`.build/test-output/<name>`).
func testOutputDirectory(_ name: String, file: StaticString = #filePath) throws -> URL {
    let root = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let directory = root.appendingPathComponent(".build/test-output/\(name)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
