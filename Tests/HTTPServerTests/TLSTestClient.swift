import Foundation
import HTTPServer
import TLS
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTPS client for the serving tests that controls the bytes it sends (pipelining) and
/// keeps its connection: our client TLS session, verifying against the test CA, over a
/// `RawHTTPClient`'s socket.
final class TLSTestClient {
    let connection: RawHTTPClient
    let session: TLSSession
    private var received: [UInt8] = []

    init(port: Int, caFile: String, alpn: [String] = [TLSContext.http11]) throws {
        connection = try RawHTTPClient(port: port)
        _ = fcntl(connection.socket, F_SETFL, fcntl(connection.socket, F_GETFL) | O_NONBLOCK)
        session = try TLSSession.client(
            context: try .client(caFile: caFile, alpn: alpn), socket: connection.socket,
            serverName: "127.0.0.1")
        try session.handshake(deadline: .now + .seconds(5))
    }

    func send(_ text: String) throws {
        try session.writeAll(Array(text.utf8), deadline: .now + .seconds(5))
    }

    /// Reads `count` responses (`Content-Length` framed, as the test routes answer); each is the
    /// status line and the body.
    func responses(_ count: Int) throws -> [(status: Int, body: String)] {
        var answers: [(status: Int, body: String)] = []
        let deadline = ContinuousClock.now + .seconds(10)
        while answers.count < count {
            if let answer = takeResponse() {
                answers.append(answer)
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            let read = try chunk.withUnsafeMutableBytes { try session.read(into: $0, deadline: deadline) }
            guard read > 0 else {
                throw TLSError(.closed, "the server closed after \(answers.count) responses")
            }
            received += chunk[..<read]
        }
        return answers
    }

    private func takeResponse() -> (status: Int, body: String)? {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = received.indices.first(where: { received[$0...].starts(with: separator) }) else {
            return nil
        }
        let head = String(decoding: received[..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let status = Int(lines.first?.split(separator: " ")[1] ?? "") ?? 0
        let length =
            lines.dropFirst().compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        let bodyStart = end + separator.count
        guard received.count >= bodyStart + length else { return nil }
        let body = String(decoding: received[bodyStart..<(bodyStart + length)], as: UTF8.self)
        received.removeFirst(bodyStart + length)
        return (status, body)
    }
}

/// Runs a command-line tool (curl, openssl) and collects what it printed.
enum Tool {
    struct Outcome {
        let status: Int32
        let output: String
        let errors: String
    }

    static func run(_ arguments: [String], input: String? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complained = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, output: String(decoding: printed, as: UTF8.self),
            errors: String(decoding: complained, as: UTF8.self))
    }
}
