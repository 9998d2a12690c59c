import Foundation
import HTTPServer
import Log
import Synchronization
import TestSupport
import Testing

/// The batched access log over real sockets: every answered request gets one whole line,
/// and lines go out without waiting for more traffic.
@Suite struct AccessLogTests {
    /// A server logging to a fresh file; `body` gets the port and the file's path.
    func withLoggingServer(_ body: (Int, String) throws -> Void) throws {
        let path = NSTemporaryDirectory() + "incidentd-access-\(UUID().uuidString).log"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        defer {
            close(descriptor)
            unlink(path)
        }
        var configuration = TestServer.configuration()
        configuration.accessLog = true
        let server = HTTPServer(
            configuration: configuration, responder: TestRoutes.router(),
            logger: Logger(minimumLevel: .info, fileDescriptor: descriptor))
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            server.waitUntilStopped()
        }
        try body(server.boundPort, path)
    }

    /// The `http.request` lines in the file, decoded.
    func requestLines(_ path: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return try data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            return object["event"] as? String == "http.request" ? object : nil
        }
    }

    @Test func writesALineSoonAfterTheAnswerWithoutMoreTraffic() throws {
        try withLoggingServer { port, path in
            let client = try RawHTTPClient(port: port)
            let response = try client.exchange(
                "GET /items/7 HTTP/1.1\r\nHost: t\r\nX-Request-ID: solo-1\r\n\r\n")
            #expect(response.status == 200)
            #expect(TestServer.eventually(within: .seconds(2)) { (try? requestLines(path).count) == 1 })
            let line = try #require(try requestLines(path).first)
            #expect(line["method"] as? String == "GET")
            #expect(line["path"] as? String == "/items/7")
            #expect(line["route"] as? String == "/items/{id}")
            #expect(line["status"] as? Int == 200)
            #expect(line["bytes"] as? Int == response.body.count)
            #expect(line["request_id"] as? String == "solo-1")
            #expect((line["duration_ms"] as? Double).map { $0 >= 0 } == true)
            #expect((line["remote"] as? String)?.hasPrefix("127.0.0.1:") == true)
        }
    }

    @Test func writesOneWholeLinePerRequestUnderPipelinedLoad() throws {
        let connections = 8
        let perConnection = 60
        try withLoggingServer { port, path in
            try DispatchQueue.concurrentPerformThrowing(iterations: connections) { connection in
                let client = try RawHTTPClient(port: port)
                // Pipelined in one send: many answers in one loop iteration, one batch.
                let requests = (0..<perConnection).map { index in
                    let target = index % 3 == 0 ? "/items/\(index)" : "/healthz"
                    return
                        "GET \(target) HTTP/1.1\r\nHost: t\r\nX-Request-ID: c\(connection)-r\(index)\r\n\r\n"
                }
                try client.send(requests.joined())
                for _ in 0..<perConnection { _ = try client.readResponse() }
            }
            let expected = connections * perConnection
            #expect(
                TestServer.eventually(within: .seconds(3)) { (try? requestLines(path).count) == expected })
            let ids = try requestLines(path).compactMap { $0["request_id"] as? String }
            #expect(Set(ids).count == expected)
            for connection in 0..<connections {
                // Per connection, lines keep the order the requests were answered in.
                let own = ids.filter { $0.hasPrefix("c\(connection)-") }
                #expect(own == (0..<perConnection).map { "c\(connection)-r\($0)" })
            }
        }
    }
}

extension DispatchQueue {
    /// `concurrentPerform` whose body may throw; rethrows the first error.
    static func concurrentPerformThrowing(iterations: Int, _ body: @Sendable (Int) throws -> Void) throws {
        let errors = ErrorBox()
        concurrentPerform(iterations: iterations) { index in
            do { try body(index) } catch { errors.record(error) }
        }
        if let error = errors.first { throw error }
    }
}

/// The first error of concurrent work.
final class ErrorBox: Sendable {
    private let stored = Mutex<(any Error)?>(nil)

    var first: (any Error)? { stored.withLock { $0 } }

    func record(_ error: any Error) { stored.withLock { if $0 == nil { $0 = error } } }
}
