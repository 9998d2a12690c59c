import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `incidentd serve` as a process (issue 20): HTTPS from flags, SIGHUP reloading the
/// certificate for new connections, and settings that cannot be used stopping it at once with
/// the setting's name.
@Suite(.serialized) struct ServeTLSProcessTests {
    /// The `incidentd` built beside the test bundle (`swift build --build-tests` builds both).
    static var binary: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("incidentd").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return TestDatabase.repositoryRoot + "/.build/debug/incidentd"
    }

    /// A running `incidentd serve` and what it wrote to stderr so far.
    final class Served: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var text = ""
        private var ended = false

        init(_ arguments: [String], environment: [String: String]) throws {
            process.executableURL = URL(fileURLWithPath: ServeTLSProcessTests.binary)
            process.arguments = ["serve"] + arguments
            process.currentDirectoryURL = URL(fileURLWithPath: TestDatabase.repositoryRoot)
            var variables = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("INCIDENTD_") }
            variables.merge(environment) { $1 }
            process.environment = variables
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = errors
            errors.fileHandleForReading.readabilityHandler = { [self] handle in
                let data = handle.availableData
                if data.isEmpty { handle.readabilityHandler = nil }
                lock.withLock {
                    text += String(decoding: data, as: UTF8.self)
                    if data.isEmpty { ended = true }
                }
            }
            try process.run()
        }

        var output: String { lock.withLock { text } }

        /// After the exit, waits until the output holds every one of `needles` or ended, for up
        /// to `timeout`: what the process wrote last may still be on its way through the pipe.
        func waitForOutput(containing needles: [String], timeout: Duration = .seconds(3)) {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                let (text, ended) = lock.withLock { (self.text, self.ended) }
                if ended || needles.allSatisfy({ text.contains($0) }) { return }
                usleep(10_000)
            }
        }

        /// Waits until the output contains `needle`, or the process ended, for up to `timeout`.
        func waitFor(_ needle: String, timeout: Duration = .seconds(30)) -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if output.contains(needle) { return true }
                if !process.isRunning { return output.contains(needle) }
                usleep(20_000)
            }
            return false
        }

        /// The port from the `listening` log line.
        func port() throws -> Int {
            guard waitFor(#""event":"listening""#) || waitFor("\"listening\"") else {
                throw CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "never listened: \(output)"])
            }
            let line = output.split(separator: "\n").first { $0.contains("\"listening\"") } ?? ""
            let digits =
                line.components(separatedBy: "\"port\":").dropFirst().first?.prefix { $0.isNumber } ?? ""
            guard let port = Int(digits) else {
                throw CocoaError(
                    .fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "no port in: \(line)"])
            }
            return port
        }

        func stop() {
            if process.isRunning { kill(process.processIdentifier, SIGTERM) }
            process.waitUntilExit()
        }
    }

    private static func curl(_ port: Int, ca: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "curl", "-sS", "-o", "/dev/null", "--max-time", "10", "--cacert", ca,
            "https://127.0.0.1:\(port)/healthz",
        ]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func sighupMakesNewConnectionsPresentTheNewCertificate() throws {
        let certificates = try TestCertificates.shared()
        let database = try TestDatabase.makeFreshDatabase()
        let folder = certificates.directory + "/serve-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (certificate, key) = (folder + "/cert.pem", folder + "/key.pem")
        func install(_ from: String, _ fromKey: String) throws {
            try Data(contentsOf: URL(fileURLWithPath: from)).write(to: URL(fileURLWithPath: certificate))
            try Data(contentsOf: URL(fileURLWithPath: fromKey)).write(to: URL(fileURLWithPath: key))
        }
        try install(certificates.serverCertificate, certificates.serverKey)
        let served = try Served(
            ["--host", "127.0.0.1", "--port", "0", "--tls-cert", certificate],
            environment: ["DATABASE_URL": database.conninfo, "INCIDENTD_TLS_KEY": key])
        defer { served.stop() }
        let port = try served.port()
        #expect(served.output.contains(#""scheme":"https""#))
        #expect(try Self.curl(port, ca: certificates.caFile) == 0)

        try install(certificates.unknownCACertificate, certificates.unknownCAKey)
        kill(served.process.processIdentifier, SIGHUP)
        #expect(served.waitFor("tls_certificates_reloaded"), "\(served.output)")
        #expect(try Self.curl(port, ca: certificates.directory + "/unknown-ca.pem") == 0)
        #expect(try Self.curl(port, ca: certificates.caFile) == 60)

        // A reload that fails keeps the certificate in service.
        try "garbage".write(toFile: certificate, atomically: true, encoding: .utf8)
        kill(served.process.processIdentifier, SIGHUP)
        #expect(served.waitFor("tls_certificates_reload_failed"), "\(served.output)")
        #expect(try Self.curl(port, ca: certificates.directory + "/unknown-ca.pem") == 0)

        served.stop()
        #expect(served.process.terminationStatus == 0, "\(served.output)")
    }

    @Test func unusableTLSFilesOrProxyRangesStopServeAtOnceNamingTheSetting() throws {
        let certificates = try TestCertificates.shared()
        // Never reached: the settings are refused before any database is touched.
        let unreachable = ["DATABASE_URL": "postgresql://incidentd@127.0.0.1:1/nowhere?connect_timeout=30"]
        let cases: [(arguments: [String], environment: [String: String], names: [String])] = [
            (
                ["--tls-cert", certificates.serverCertificate, "--tls-key", "/nonexistent/key.pem"], [:],
                ["INCIDENTD_TLS_KEY", "/nonexistent/key.pem"]
            ),
            (
                [],
                [
                    "INCIDENTD_TLS_CERT": certificates.caFile + ".missing",
                    "INCIDENTD_TLS_KEY": certificates.serverKey,
                ],
                ["INCIDENTD_TLS_CERT"]
            ),
            (
                [],
                ["INCIDENTD_TLS_CERT": certificates.serverKey, "INCIDENTD_TLS_KEY": certificates.serverKey],
                ["INCIDENTD_TLS_CERT"]
            ),
            (
                [],
                [
                    "INCIDENTD_TLS_CERT": certificates.serverCertificate,
                    "INCIDENTD_TLS_KEY": certificates.otherHostKey,
                ],
                ["INCIDENTD_TLS_CERT", "INCIDENTD_TLS_KEY", "mismatch"]
            ),
            ([], ["INCIDENTD_TLS_CERT": certificates.serverCertificate], ["INCIDENTD_TLS_KEY"]),
            (
                [], ["INCIDENTD_TRUSTED_PROXIES": "10.0.0.0/8, 10.0.0.0/40"],
                ["INCIDENTD_TRUSTED_PROXIES", "10.0.0.0/40"]
            ),
            (["--trusted-proxies", "proxy.local"], [:], ["--trusted-proxies", "proxy.local"]),
        ]
        for (arguments, environment, names) in cases {
            let start = ContinuousClock.now
            let served = try Served(
                ["--host", "127.0.0.1", "--port", "0"] + arguments,
                environment: unreachable.merging(environment) { $1 })
            served.process.waitUntilExit()
            let seconds = (ContinuousClock.now - start).components.seconds
            served.waitForOutput(containing: names)
            #expect(served.process.terminationStatus != 0, "\(arguments) \(environment)")
            #expect(seconds < 5, "took \(seconds) s: \(served.output)")
            for name in names { #expect(served.output.contains(name), "\(name) not in: \(served.output)") }
        }
    }
}
