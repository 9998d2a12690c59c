import Domain
import Foundation

/// Runs `oncall_oracle.py` (beside this file): Python's zoneinfo over the system's tz database,
/// sharing no code with Domain. The test suite's venv puts `python3` first on PATH; only the
/// standard library is needed.
enum ZoneOracle {
    /// One schedule to evaluate at `instants`.
    struct Case {
        let zone: ScheduleZone
        let layers: [ScheduleLayer]
        let overrides: [ScheduleOverride]
        var instants: [Double]
    }

    /// What the oracle computed.
    struct Answer {
        /// Per case, the user on call at each instant (nil: nobody).
        let users: [[Int64?]]
        /// Per case, per layer, its hand-offs before `until` in Unix seconds.
        let handoffs: [[[Int64]]]
        /// Per zone, its offset changes: (Unix second, offset after it).
        let transitions: [String: [(Int64, Int)]]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("oncall_oracle.py").path

    static func run(_ cases: [Case], until: Date) throws -> Answer {
        let document: [String: Any] = [
            "until": Int(until.timeIntervalSince1970),
            "schedules": cases.map { item in
                [
                    "zone": item.zone.identifier,
                    "layers": item.layers.map(json),
                    "overrides": item.overrides.map { override in
                        [
                            "id": override.id, "user": override.userID,
                            "start": override.start.timeIntervalSince1970,
                            "end": override.end.timeIntervalSince1970,
                        ] as [String: Any]
                    },
                    "instants": item.instants,
                ] as [String: Any]
            },
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
            throw OracleFailure(message: "oncall_oracle.py exited \(process.terminationStatus): \(text)")
        }
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any] ?? [:]
        let users = (parsed["users"] as? [[Any]] ?? []).map { row in row.map { ($0 as? NSNumber)?.int64Value }
        }
        let handoffs = (parsed["handoffs"] as? [[[NSNumber]]] ?? []).map { $0.map { $0.map(\.int64Value) } }
        var transitions: [String: [(Int64, Int)]] = [:]
        for (zone, rows) in parsed["transitions"] as? [String: [[NSNumber]]] ?? [:] {
            transitions[zone] = rows.map { ($0[0].int64Value, $0[1].intValue) }
        }
        return Answer(users: users, handoffs: handoffs, transitions: transitions)
    }

    static func json(_ layer: ScheduleLayer) -> [String: Any] {
        var object: [String: Any] = [
            "rotation": layer.rotation.rawValue, "length": layer.length, "start": layer.start.description,
            "participants": layer.participants,
            "anchor": ["handoff": layer.anchor.handoff, "position": layer.anchor.position],
        ]
        if let restriction = layer.restriction {
            object["restriction"] =
                [
                    "days": restriction.days.sorted().map(\.name), "from_minute": restriction.fromMinute,
                    "to_minute": restriction.toMinute,
                ] as [String: Any]
        }
        return object
    }

    struct OracleFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}

/// A seeded generator (SplitMix64), so a failing property run can be repeated.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
