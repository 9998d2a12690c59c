import Foundation
import HTTPServer

#if canImport(Glibc)
    import Glibc
#endif

/// A Server-Sent Events reader over a raw socket (SPEC §8's `/stream`), for tests that must see
/// the wire: the head, each chunk, comments, how the stream ends. Every read has a deadline.
public final class SSEClient {
    /// One event as EventSource would dispatch it.
    public struct Event: Sendable, Equatable {
        public var id: String?
        public var type: String?
        public var data: String
    }

    /// What the stream delivered next.
    public enum Item: Sendable, Equatable {
        case event(Event)
        case comment(String)
        case retry(Int)
    }

    public let socket: Int32
    public private(set) var status = 0
    public private(set) var headers = HTTPHeaders()
    /// The body so far, decoded from its chunks, not yet parsed into items.
    private var text: [UInt8] = []
    private var wire: [UInt8] = []
    private var headDone = false
    /// The body ended with its last chunk (a clean end).
    public private(set) var endedCleanly = false
    /// The server closed the connection.
    public private(set) var closed = false
    /// The body when the answer was not a stream (a problem+json).
    public private(set) var body: [UInt8] = []

    /// Connects and sends `GET target` with `headers`; `receiveBuffer` sets `SO_RCVBUF` first
    /// (small: a reader that holds little in its kernel buffer).
    public init(
        port: Int, target: String, key: String, headers extra: [String: String] = [:],
        receiveBuffer: Int? = nil
    ) throws {
        socket = try RawHTTPClient.connect(host: "127.0.0.1", port: port, receiveBuffer: receiveBuffer)
        var head = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\n"
        head += "Accept: text/event-stream\r\n"
        for (name, value) in extra { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8)
        let sent = bytes.withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw RawHTTPClientError.system(operation: "send", errno: errno) }
    }

    deinit { Glibc.close(socket) }

    /// Closes the connection from this side.
    public func close() { Glibc.shutdown(socket, Int32(SHUT_RDWR)) }

    /// Reads until the head is in; returns the status.
    @discardableResult
    public func readHead(timeout: Duration = .seconds(5)) throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while !headDone {
            guard try receive(until: deadline) else {
                throw RawHTTPClientError.closedByPeer(bytesBuffered: wire.count)
            }
        }
        return status
    }

    /// The next item, or nil when the stream ended first; throws at the deadline.
    public func next(timeout: Duration = .seconds(5)) throws -> Item? {
        let deadline = ContinuousClock.now + timeout
        try readHead(timeout: timeout)
        while true {
            if let item = parseItem() { return item }
            if endedCleanly || closed { return nil }
            guard try receive(until: deadline) else { continue }
        }
    }

    /// The next event (comments and retry lines skipped), or nil when the stream ended.
    public func nextEvent(timeout: Duration = .seconds(5)) throws -> Event? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { throw RawHTTPClientError.timedOut("an event") }
            switch try next(timeout: left) {
            case .event(let event): return event
            case nil: return nil
            default: continue
            }
        }
    }

    /// Waits until the server closed the connection (reading and dropping what comes).
    public func waitForEnd(timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !closed && !endedCleanly {
            guard ContinuousClock.now < deadline else { return false }
            text = []
            _ = try? receive(until: deadline)
        }
        return true
    }

    /// One complete item from the front of the decoded body.
    private func parseItem() -> Item? {
        // Items end with a blank line.
        guard let end = text.indices.dropLast().first(where: { text[$0] == 10 && text[$0 + 1] == 10 }) else {
            return nil
        }
        let block = String(decoding: text[..<end], as: UTF8.self)
        text.removeFirst(end + 2)
        var event = Event(id: nil, type: nil, data: "")
        var dataLines: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(":") {
                return .comment(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
            }
            let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? String(parts[1].drop { $0 == " " }.prefix { _ in true }) : ""
            switch parts[0] {
            case "id": event.id = value
            case "event": event.type = value
            case "data": dataLines.append(value)
            case "retry": return .retry(Int(value) ?? -1)
            default: break
            }
        }
        event.data = dataLines.joined(separator: "\n")
        return .event(event)
    }

    /// Reads from the socket; false when nothing arrived before the deadline or the peer closed.
    private func receive(until deadline: ContinuousClock.Instant) throws -> Bool {
        guard !closed else { return false }
        let left = deadline - ContinuousClock.now
        guard left > .zero else { throw RawHTTPClientError.timedOut("the stream") }
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000, 60_000))
        guard poll(&descriptor, 1, max(milliseconds, 1)) > 0 else { return false }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count <= 0 {
            if count < 0 && (errno == EINTR || errno == EAGAIN) { return false }
            closed = true
            return false
        }
        wire.append(contentsOf: chunk[..<count])
        try decode()
        return true
    }

    /// Moves complete chunks from `wire` to `text`.
    private func decode() throws {
        if !headDone {
            guard let end = Self.find([13, 10, 13, 10], in: wire) else { return }
            let head = try RawHTTPClient.parseHead(Array(wire[..<end]))
            status = head.status
            headers = head.headers
            wire.removeFirst(end + 4)
            headDone = true
        }
        guard headers["Transfer-Encoding"]?.lowercased() == "chunked" else {
            body.append(contentsOf: wire)
            text.append(contentsOf: wire)
            wire = []
            return
        }
        while let lineEnd = Self.find([13, 10], in: wire) {
            guard let size = Int(String(decoding: wire[..<lineEnd], as: UTF8.self), radix: 16) else {
                throw RawHTTPClientError.malformedResponse("chunk size")
            }
            if size == 0 {
                endedCleanly = true
                wire = []
                return
            }
            guard wire.count >= lineEnd + 2 + size + 2 else { return }
            text.append(contentsOf: wire[(lineEnd + 2)..<(lineEnd + 2 + size)])
            wire.removeFirst(lineEnd + 2 + size + 2)
        }
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        return (0...(bytes.count - needle.count)).first {
            bytes[$0..<($0 + needle.count)].elementsEqual(needle)
        }
    }
}
