import API
import Foundation
import TestSupport
import Testing

/// The served OpenAPI document (issue 20): `/openapi.yaml` is docs/openapi.yaml byte for byte,
/// `/openapi.json` the same document (as PyYAML reads the file), and schemathesis finds the
/// server and the document in agreement on every operation, all checks, both phases.
@Suite(.serialized)
struct SchemathesisTests {
    /// What `python3` (the test venv's, installed by scripts/install-test-deps) prints.
    private static func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
        try runProcess("/usr/bin/env", ["python3", "-c", script] + arguments, timeout: 60)
    }

    private static func runProcess(_ executable: String, _ arguments: [String], timeout: TimeInterval)
        throws -> (Int32, String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // `swift test` run by hand: the venv's tools first, as scripts/test does.
        environment["PATH"] = TestDatabase.repositoryRoot + "/.build-venv/bin:" + (environment["PATH"] ?? "")
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let collected = CompatScript.OutputBuffer()
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

    @Test func servedDocumentIsTheFileInBothForms() throws {
        let app = try TestApp()
        defer { app.stop() }
        let file = try Data(
            contentsOf: URL(fileURLWithPath: TestDatabase.repositoryRoot + "/docs/openapi.yaml"))
        let yaml = try app.request("GET", "/openapi.yaml", key: nil)
        #expect(yaml.status == 200)
        #expect(yaml.header("Content-Type") == "application/yaml; charset=utf-8")
        #expect(yaml.header("Cache-Control") == "public, max-age=300")
        #expect(Data(yaml.body) == file)
        let json = try app.request("GET", "/openapi.json", key: nil)
        #expect(json.status == 200)
        #expect(json.header("Content-Type") == "application/json; charset=utf-8")
        let served = FileManager.default.temporaryDirectory.appendingPathComponent(
            "served-openapi-\(UUID()).json")
        try Data(json.body).write(to: served)
        defer { try? FileManager.default.removeItem(at: served) }
        // PyYAML reads YAML 1.1 (a bare 2026-11-22 is a date); the document is read as JSON text.
        let (status, output) = try Self.python(
            """
            import datetime, json, sys, yaml
            def plain(v):
                if isinstance(v, dict): return {str(k): plain(x) for k, x in v.items()}
                if isinstance(v, list): return [plain(x) for x in v]
                if isinstance(v, datetime.date): return v.isoformat()
                return v
            expected = plain(yaml.safe_load(open(sys.argv[1], encoding="utf-8")))
            served = json.load(open(sys.argv[2], encoding="utf-8"))
            print("same" if served == expected else "different")
            """, [TestDatabase.repositoryRoot + "/docs/openapi.yaml", served.path])
        #expect(status == 0 && output.hasPrefix("same"), "\(output)")
        for (path, answer) in [("/openapi.yaml", yaml), ("/openapi.json", json)] {
            let tag = try #require(answer.header("ETag"))
            let again = try app.request("GET", path, key: nil, headers: [("If-None-Match", tag)])
            #expect(again.status == 304, "\(path)")
            #expect(again.body.isEmpty)
        }
    }

    /// A few examples per operation (CI time); scripts/reliability/schemathesis.sh runs more by
    /// hand. The auth-failure limit is raised: schemathesis sends requests without a key on
    /// purpose (its `ignored_auth` check), and the 429 that follows would hide everything else.
    @Test func schemathesisFindsNothingOnAnyOperation() throws {
        var settings = APISettings()
        settings.maxAuthFailures = 1_000_000
        let app = try TestApp(settings: settings)
        defer { app.stop() }
        let (status, output) = try Self.runProcess(
            TestDatabase.repositoryRoot + "/scripts/reliability/schemathesis.sh",
            [
                "--url", "http://127.0.0.1:\(app.port)", "--key", app.adminKey, "--examples", "4", "--seed",
                "20",
            ],
            timeout: 400)
        #expect(status == 0, "\(output.suffix(12_000))")
        #expect(output.contains("Fuzzing"), "\(output.suffix(2_000))")
    }
}
