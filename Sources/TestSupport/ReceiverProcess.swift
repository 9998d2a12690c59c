import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A real server the outbound clients' tests talk to (a script in `scripts/test-receivers/` or
/// a tool such as `aiosmtpd`), run as a child process and killed when the test is done.
///
/// Tools are looked up in the repository's test venv (`.build-venv/bin`, made by
/// `scripts/install-test-deps`) first, then on `PATH`.
public final class ReceiverProcess: @unchecked Sendable {
    public let process: Process
    /// The port it listens on (announced as `PORT <n>` or given to it).
    public let port: Int
    private let output: Pipe

    /// Starts `tool` with `arguments` and waits for it to print `PORT <n>` on its first
    /// line of output.
    public init(tool: String, arguments: [String], timeout: Double = 10) throws {
        (process, output) = try Self.launch(tool: tool, arguments: arguments)
        let line = try Self.readLine(from: output.fileHandleForReading.fileDescriptor, timeout: timeout)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            kill(process.processIdentifier, SIGKILL)
            throw ReceiverError(description: "\(tool) said '\(line)' instead of PORT <n>")
        }
        self.port = port
    }

    /// Starts `tool`, which listens on `port` (found free by the caller), and waits until
    /// 127.0.0.1:`port` accepts connections.
    public init(tool: String, arguments: [String], port: Int, timeout: Double = 10) throws {
        (process, output) = try Self.launch(tool: tool, arguments: arguments)
        self.port = port
        let deadline = Date().addingTimeInterval(timeout)
        while !Self.accepts(port: port) {
            guard process.isRunning, Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                throw ReceiverError(description: "\(tool) did not listen on \(port)")
            }
            usleep(20_000)
        }
    }

    deinit { stop() }

    /// Kills the process and waits for it. SIGKILL, because a child started from a test
    /// thread inherits that thread's signal mask, in which libdispatch blocks SIGTERM.
    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// A port nobody listens on right now: bind 127.0.0.1:0, read the port, close.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ReceiverError(description: "cannot bind a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The folder `scripts/test-receivers/` of this repository.
    public static let scriptsDirectory = TestDatabase.repositoryRoot + "/scripts/test-receivers"

    /// Runs `tool` to completion and returns its standard output (for `mail_summary.py`, ...).
    public static func run(tool: String, arguments: [String]) throws -> String {
        let (process, output) = try launch(tool: tool, arguments: arguments)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReceiverError(description: "\(tool) \(arguments) exited with \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func launch(tool: String, arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        var environment = ProcessInfo.processInfo.environment
        let venv = TestDatabase.repositoryRoot + "/.build-venv/bin"
        environment["PATH"] = venv + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output)
    }

    private static func readLine(from fd: Int32, timeout: Double) throws -> String {
        var bytes: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        while !bytes.contains(0x0a) {
            let left = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&descriptor, 1, left) > 0 else {
                throw ReceiverError(description: "no PORT line within \(timeout) s")
            }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else {
                throw ReceiverError(description: "exited before saying PORT")
            }
            bytes.append(byte)
        }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A receiver that did not start as expected.
public struct ReceiverError: Error, CustomStringConvertible {
    public let description: String
}
