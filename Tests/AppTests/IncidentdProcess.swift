import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real `incidentd serve` process (the binary `swift build` made) on 127.0.0.1, for tests
/// whose point is several processes on one database (SPEC §7).
final class IncidentdProcess: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(conninfo: String, environment extra: [String: String] = [:]) throws {
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: TestDatabase.repositoryRoot + "/.build/debug/incidentd")
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = conninfo
        environment["PORT"] = String(port)
        environment["HOST"] = "127.0.0.1"
        environment["INCIDENTD_MIGRATIONS_DIR"] = TestDatabase.migrationsDirectory
        environment["INCIDENTD_LOG_LEVEL"] = "warning"
        for (name, value) in extra { environment[name] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !RawHTTPClient.canConnect(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "incidentd did not listen"])
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// SIGTERM, as an operator stops it; returns its exit status.
    @discardableResult
    func stop() -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// A port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
