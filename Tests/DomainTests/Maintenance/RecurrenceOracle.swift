import Domain
import Foundation

/// Runs `recurrence_oracle.py` (beside this file): python-dateutil's `rrulestr` expands the rule
/// and Python's zoneinfo over the system's tz database turns wall times into instants, sharing no
/// code with Domain. The test suite's venv puts `python3` (with python-dateutil, pinned in
/// scripts/test-deps/python.txt) first on PATH.
enum RecurrenceOracle {
    /// One rule to expand over `ranges` and to ask for the period at or after each of `instants`.
    struct Case {
        let rule: String
        let recurrence: Recurrence
        var ranges: [(Int64, Int64)]
        var instants: [Int64]
    }

    /// What the oracle computed, per case.
    struct Answer {
        /// Per range, the occurrence starts in it.
        let starts: [[[Int64]]]
        /// Per instant, the period at or after it (nil: none).
        let periods: [[(Int64, Int64)?]]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("recurrence_oracle.py").path

    static func run(_ cases: [Case]) throws -> Answer {
        let document: [String: Any] = [
            "cases": cases.map { item in
                [
                    "rule": item.rule, "zone": item.recurrence.zone.identifier,
                    "dtstart": item.recurrence.start.description, "duration": item.recurrence.durationSeconds,
                    "ranges": item.ranges.map { [$0.0, $0.1] }, "instants": item.instants,
                ] as [String: Any]
            }
        ]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "oracle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.json")
        try JSONSerialization.data(withJSONObject: document).write(to: input)
        let output = folder.appendingPathComponent("output.json")
        let errors = folder.appendingPathComponent("errors.txt")
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            throw ZoneOracle.OracleFailure(
                message: "recurrence_oracle.py exited \(process.terminationStatus): \(text)")
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any] ?? [:]
        let starts = (parsed["starts"] as? [[[NSNumber]]] ?? []).map { $0.map { $0.map(\.int64Value) } }
        let periods = (parsed["periods"] as? [[Any]] ?? []).map { row in
            row.map { value -> (Int64, Int64)? in
                guard let pair = value as? [NSNumber], pair.count == 2 else { return nil }
                return (pair[0].int64Value, pair[1].int64Value)
            }
        }
        return Answer(starts: starts, periods: periods)
    }
}
